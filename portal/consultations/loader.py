"""Loads content/consultations/*.yaml: demonstration campaigns (marked `demo: true`), their
questionnaire, and for a closed one a few hundred generated plausible answers.

Dates are days relative to the day of the first load (`opens_in_days: -7`), so the
demonstration always has an open campaign and a closed one. Sections, questions and options
carry their translations (texts.py). An unchanged file is left alone; a file whose
questionnaire is unchanged (only texts, translations, dates) updates its campaign in place and
keeps the answers; one whose questionnaire changed replaces its campaign (and the
demonstration answers) whole.
"""

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, insert

from ..clock import PARIS, today
from ..content import NUL_PROBLEM, Report, fingerprint, holds_nul, parse_translations, slug_list
from ..extensions import db
from ..mixins import as_utc
from ..publication import PublicationStatus
from ..quartiers import Quartier
from ..sanitize import render_stored
from ..slugs import SLUG
from . import places, tallies, texts
from .models import (
    Answer,
    Campaign,
    Channel,
    Option,
    Question,
    QuestionKind,
    Response,
    ResultsVisibility,
    Section,
    TextAnswer,
)

TRANSLATED = ("title", "summary", "easy_read", "presentation", "outcome", "next_steps")
DEMO_TEXTS = [
    "Plus de bancs à l’ombre pour les personnes âgées, s’il vous plaît.",
    "Que le déménagement soit fait par des professionnels.",
    "Garder les mêmes voisins dans le nouvel immeuble.",
    "Un logement avec un ascenseur.",
    "Être prévenu longtemps à l’avance.",
]


def load_consultations(root: Path, report: Report) -> None:
    folder = root / "consultations"
    if not folder.is_dir():
        return
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    for path in sorted(folder.glob("*.yaml")):
        try:
            meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
            report.error(path, None, f"unreadable file ({exc})")
            continue
        if not isinstance(meta, dict):
            report.error(path, None, "the file must be a mapping")
            continue
        _load_one(meta, path, quartiers, report)


def _problems(meta: dict, quartiers: dict) -> list[str]:
    problems = [f"missing {key}" for key in ("slug", "title", "summary", "sections")
                if not meta.get(key)]
    if holds_nul(meta):  # PostgreSQL cannot store it: a problem of the file, not a crash
        problems.append(NUL_PROBLEM)
    if meta.get("slug") and not SLUG.match(str(meta["slug"])):
        problems.append("slug must be lowercase words joined by '-'")
    for key in ("opens_in_days", "closes_in_days"):
        if not isinstance(meta.get(key), int):
            problems.append(f"{key} must be a whole number of days")
    generated = meta.get("generate_responses")
    if generated is not None and (not isinstance(generated, int) or isinstance(generated, bool)
                                  or not 0 <= generated <= 100_000):
        problems.append("generate_responses must be a whole number of answers (0 to 100000)")
    unknown = [s for s in slug_list(meta.get("quartiers"), "quartiers", problems)
               if s not in quartiers]
    if unknown:
        problems.append("unknown quartier(s): " + ", ".join(unknown))
    kinds = {k.value for k in QuestionKind}
    sections = meta.get("sections") or []
    if not isinstance(sections, list) or not all(isinstance(s, dict) for s in sections):
        return problems + ["sections must be a list of {title, questions}"]
    for s_index, section in enumerate(sections, start=1):
        texts.section_translations(section, f"section {s_index}", problems)
        questions = section.get("questions") or []
        if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
            problems.append(f"section {s_index}: questions must be a list of {{kind, label}}")
            continue
        for q_index, question in enumerate(questions, start=1):
            where = f"section {s_index}, question {q_index}"
            options = question.get("options") or []
            if not isinstance(options, list):
                problems.append(f"{where}: options must be a list")
            elif question.get("kind") not in kinds:
                problems.append(f"unknown question kind {question.get('kind')!r}")
            elif QuestionKind(question["kind"]).has_options and question["kind"] != "yes_no" \
                    and len(options) < 2:
                problems.append(f"question {question.get('label')!r} needs options")
            elif question["kind"] == "place":
                for label in options:
                    try:
                        places.split_point(str(label))
                    except places.PointError:
                        problems.append(f"place {label!r}: write its point as "
                                        "'Name | latitude, longitude', near Roubaix")
            texts.question_translations(question, where, problems)
    return problems


def _load_one(meta: dict, path: Path, quartiers: dict, report: Report) -> None:
    problems = _problems(meta, quartiers)
    translations = parse_translations(meta.get("translations"), TRANSLATED, "translations",
                                      problems)
    for problem in problems:
        report.error(path, None, problem)
    if problems:
        return
    digest = fingerprint(meta)
    questionnaire = _questionnaire(meta)
    existing = db.session.scalar(db.select(Campaign).filter_by(slug=meta["slug"]))
    if existing is not None:
        if existing.content_hash is None:
            report.error(path, None, f"slug {meta['slug']!r} is used by a campaign created in "
                                     "the back office")
            return
        if existing.content_hash == digest:
            report.count("consultations", "unchanged")
            return
        if _same_questionnaire(existing, meta, questionnaire):
            # Texts or translations changed: written in place, the answers stay.
            _write_campaign(existing, meta, translations, quartiers, digest)
            _write_translations(existing, questionnaire)
            report.count("consultations", "updated")
            return
        db.session.execute(db.delete(Response).where(Response.campaign_id == existing.id))
        tallies.forget(existing.id)
        db.session.delete(existing)
        db.session.flush()
    campaign = Campaign(slug=meta["slug"], publication_status=PublicationStatus.PUBLISHED)
    _write_campaign(campaign, meta, translations, quartiers, digest)
    campaign.sections = [section for section, _questions in questionnaire]
    db.session.add(campaign)
    db.session.flush()  # the campaign's id, which each question carries
    for section, questions in questionnaire:
        for question in questions:
            question.campaign_id = campaign.id
            section.questions.append(question)
    db.session.flush()
    report.count("consultations", "created" if existing is None else "updated")
    if meta.get("generate_responses"):
        generate_responses(campaign, int(meta["generate_responses"]), random.Random(digest))


def _write_campaign(campaign: Campaign, meta: dict, translations: dict, quartiers: dict,
                    digest: str) -> None:
    # Days count from the campaign's first load, so that rewriting its texts moves nothing.
    first = as_utc(campaign.created_at).astimezone(PARIS).date() if campaign.created_at \
        else today()
    start = datetime.combine(first, time(9, 0), PARIS)
    campaign.title, campaign.summary = str(meta["title"]), str(meta["summary"]).strip()
    campaign.easy_read = str(meta.get("easy_read") or "").strip()
    for name in ("presentation", "outcome", "next_steps"):
        setattr(campaign, name, str(meta.get(name) or ""))
    campaign.opens_at = (start + timedelta(days=meta["opens_in_days"])).astimezone(UTC)
    campaign.closes_at = (start + timedelta(days=meta["closes_in_days"])).astimezone(UTC)
    campaign.results_visibility = ResultsVisibility(meta.get("results") or "after_close")
    campaign.is_demo, campaign.translations = bool(meta.get("demo")), translations
    campaign.quartiers = [quartiers[s] for s in slug_list(meta.get("quartiers"), "quartiers",
                                                          [])]
    campaign.content_hash = digest
    render_stored(campaign)


def _questionnaire(meta: dict) -> list[tuple[Section, list[Question]]]:
    """The file's sections, each with its questions (not yet in the session)."""
    result = []
    for s_index, section_meta in enumerate(meta["sections"], start=1):
        section = Section(position=s_index, title=str(section_meta.get("title") or ""),
                          intro=str(section_meta.get("intro") or "").strip(),
                          translations=texts.section_translations(section_meta, "", []))
        result.append((section, [_question(q, q_index) for q_index, q in enumerate(
            section_meta.get("questions") or [], start=1)]))
    return result


def _shape(questionnaire) -> list:
    """What answers mean: when it is the same, the answers given still fit the file."""
    return [(section.title, section.intro, [
        (q.kind, q.label, q.help_text, q.required, q.is_profile, q.max_choices, q.min_label,
         q.max_label, q.number_min, q.number_max, q.condition_option_id,
         [(o.label, o.is_other, o.hidden, o.latitude, o.longitude) for o in q.options])
        for q in questions]) for section, questions in questionnaire]


def _same_questionnaire(campaign: Campaign, meta: dict, questionnaire) -> bool:
    generated = db.session.scalar(db.select(func.count()).where(
        Response.campaign_id == campaign.id, Response.idempotency_key.like("demo-%")))
    return generated == int(meta.get("generate_responses") or 0) and _shape(
        questionnaire) == _shape([(s, s.questions) for s in campaign.sections])


def _write_translations(campaign: Campaign, questionnaire) -> None:
    for section, (new_section, questions) in zip(campaign.sections, questionnaire,
                                                 strict=True):
        section.translations = new_section.translations
        for question, new_question in zip(section.questions, questions, strict=True):
            question.translations = new_question.translations
            for option, new_option in zip(question.options, new_question.options,
                                          strict=True):
                option.translations = new_option.translations


def _question(q: dict, position: int) -> Question:
    kind = QuestionKind(q["kind"])
    translations, options = texts.question_translations(q, "", [])
    question = Question(
        kind=kind, position=position, label=str(q.get("label") or ""),
        help_text=str(q.get("help") or ""), required=bool(q.get("required")),
        is_profile=bool(q.get("profile")), max_choices=q.get("max"),
        min_label=str(q.get("min_label") or ""), max_label=str(q.get("max_label") or ""),
        number_min=q.get("min"), number_max=q.get("max") if kind is QuestionKind.NUMBER
        else None, translations=translations)
    if kind is QuestionKind.NUMBER:
        question.max_choices = None
    labels = texts.yes_no_labels() if kind is QuestionKind.YES_NO else list(
        zip(q.get("options") or [], options, strict=True))
    for o_index, (label, option_translations) in enumerate(labels, start=1):
        label, point = str(label), None
        if kind is QuestionKind.PLACE:
            label, point = places.split_point(label)  # checked by _problems
        question.options.append(Option(
            position=o_index, label=label.lstrip("*").strip(), is_other=label.startswith("*"),
            latitude=point[0] if point else None, longitude=point[1] if point else None,
            hidden=False, translations=option_translations))
    return question


def generate_responses(campaign: Campaign, count: int, rng: random.Random) -> None:
    """Plausible demonstration answers, inserted in bulk (also used by the benchmarks)."""
    questions = [q for s in campaign.sections for q in s.questions]
    channels = [Channel.ONLINE] * 6 + [Channel.PAPER] * 2 + [Channel.MOBILE_HOUSE,
                                                              Channel.WORKSHOP]
    span = max(1, int((campaign.closes_at - campaign.opens_at).total_seconds()))
    responses, answers, texts = [], [], []
    by_channel: dict = {}  # channel -> tallies.Increments
    for n in range(count):
        responses.append({"campaign_id": campaign.id, "channel": rng.choice(channels),
                          "idempotency_key": f"demo-{uuid.uuid4().hex}",
                          "submitted_at": campaign.opens_at + timedelta(
                              seconds=rng.randrange(span)), "flagged": False})
        first_answer, first_text = len(answers), len(texts)
        for question in questions:
            _generated_answer(question, n, rng, answers, texts)  # n: replaced by the id
        by_channel.setdefault(responses[-1]["channel"], tallies.Increments()).response(
            [(a["question_id"], a["option_id"], a["value"], a["number"])
             for a in answers[first_answer:]],
            [(t["question_id"], t["option_id"], t["text"]) for t in texts[first_text:]])
    # Ids from the database (its sequence), never chosen here: on PostgreSQL a chosen id
    # leaves the sequence behind and the next resident's answer would collide with it.
    ids = db.session.scalars(insert(Response).returning(Response.id,
                                                        sort_by_parameter_order=True),
                             responses).all()
    for row in answers + texts:
        row["response_id"] = ids[row["response_id"]]
    for channel, increments in by_channel.items():
        tallies.add(campaign.id, channel, increments)
    if answers:
        db.session.execute(insert(Answer), answers)
    if texts:
        db.session.execute(insert(TextAnswer), texts)


def _generated_answer(question: Question, rid: int, rng, answers: list, texts: list) -> None:
    kind, options = question.kind, [o for o in question.options if not o.is_other]
    if not question.required and rng.random() < 0.1:
        return
    row = {"response_id": rid, "question_id": question.id, "option_id": None, "value": None,
           "number": None}
    if kind in (QuestionKind.YES_NO, QuestionKind.SINGLE, QuestionKind.PLACE):
        weights = [len(options) - i for i in range(len(options))]
        answers.append(row | {"option_id": rng.choices(options, weights)[0].id})
    elif kind is QuestionKind.MULTIPLE:
        for option in rng.sample(options, rng.randint(1, min(question.max_choices or 3,
                                                             len(options)))):
            answers.append(row | {"option_id": option.id})
    elif kind is QuestionKind.SCALE:
        answers.append(row | {"value": rng.choices(range(1, 6), [1, 2, 3, 4, 3])[0]})
    elif kind is QuestionKind.RANKING:
        size = min(question.max_choices or len(options), len(options))
        for rank, option in enumerate(rng.sample(options, size), start=1):
            answers.append(row | {"option_id": option.id, "value": rank})
    elif kind is QuestionKind.NUMBER:
        answers.append(row | {"number": float(rng.randint(1, 5))})
    elif kind.is_text and rng.random() < 0.15:
        status = PublicationStatus.PUBLISHED if rng.random() < 0.7 else \
            PublicationStatus.PENDING
        texts.append({"response_id": rid, "question_id": question.id, "option_id": None,
                      "text": rng.choice(DEMO_TEXTS), "publication_status": status,
                      "decision_note": ""})
