"""Campaigns for tests: one of each question kind, open around NOW unless told otherwise."""

from datetime import UTC, datetime, timedelta
from itertools import count

from portal.clock import PARIS
from portal.consultations.models import (
    Campaign,
    Option,
    Question,
    QuestionKind,
    ResultsVisibility,
    Section,
)
from portal.extensions import db
from portal.publication import PublicationStatus
from portal.sanitize import render_stored

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
_n = count(1)

# key -> (kind, fields, options); "*" marks "autre, précisez".
QUESTIONS = {
    "yes": (QuestionKind.YES_NO, {"required": True}, ["Oui", "Non"]),
    "single": (QuestionKind.SINGLE, {}, ["Bancs", "Jeux", "*Autre"]),
    "multiple": (QuestionKind.MULTIPLE, {"max_choices": 2}, ["Arbres", "Eau", "Bacs", "*Autre"]),
    "scale": (QuestionKind.SCALE, {"min_label": "Pas du tout", "max_label": "Beaucoup"}, []),
    "ranking": (QuestionKind.RANKING, {"max_choices": 2}, ["Matin", "Soir", "Week-end"]),
    "number": (QuestionKind.NUMBER, {"number_min": 0, "number_max": 20}, []),
    "short": (QuestionKind.SHORT_TEXT, {}, []),
    "long": (QuestionKind.LONG_TEXT, {}, []),
    "place": (QuestionKind.PLACE, {}, ["Rue A", "Place B"]),
    "age": (QuestionKind.SINGLE, {"is_profile": True}, ["Moins de 25 ans", "25 ans et plus"]),
}


def make_campaign(quartiers=(), opens=NOW - timedelta(days=1), closes=NOW + timedelta(days=10),
                  questions=tuple(QUESTIONS), **fields) -> Campaign:
    n = next(_n)
    values = {"title": f"Concertation {n}", "summary": f"Résumé {n}", "presentation": "Texte.",
              "opens_at": opens.astimezone(UTC), "closes_at": closes.astimezone(UTC),
              "publication_status": PublicationStatus.PUBLISHED, "translations": {},
              "results_visibility": ResultsVisibility.LIVE}
    values.update(fields)
    campaign = Campaign(slug=f"concertation-{n}", quartiers=list(quartiers), **values)
    render_stored(campaign)
    campaign.sections = [Section(position=1, title="Partie 1", translations={}),
                         Section(position=2, title="Partie 2", translations={})]
    db.session.add(campaign)
    db.session.flush()
    for index, key in enumerate(questions):
        kind, extra, labels = QUESTIONS[key]
        section = campaign.sections[0 if index < 5 else 1]
        question = Question(campaign_id=campaign.id, kind=kind, label=key, position=index,
                            translations={}, **extra)
        for position, label in enumerate(labels):
            question.options.append(Option(label=label.lstrip("*"), is_other=label[0] == "*",
                                           position=position, translations={}))
        section.questions.append(question)
    db.session.commit()
    return campaign


def question(campaign: Campaign, key: str) -> Question:
    return next(q for s in campaign.sections for q in s.questions if q.label == key)


def option(campaign: Campaign, key: str, label: str) -> Option:
    return next(o for o in question(campaign, key).options if o.label == label)


def valid_form(campaign: Campaign, **overrides) -> dict:
    """A complete, valid answer to the standard questionnaire (as a browser sends it)."""
    q = {key: question(campaign, key) for key in QUESTIONS if _has(campaign, key)}
    data = {"cle": f"cle-de-test-{next(_n):08d}-abcdef"}
    if "yes" in q:
        data[q["yes"].field_name] = str(option(campaign, "yes", "Oui").id)
    if "single" in q:
        data[q["single"].field_name] = str(option(campaign, "single", "Bancs").id)
    if "multiple" in q:
        data[q["multiple"].field_name] = [str(option(campaign, "multiple", "Arbres").id),
                                          str(option(campaign, "multiple", "Eau").id)]
    if "scale" in q:
        data[q["scale"].field_name] = "4"
    if "ranking" in q:
        data[f"{q['ranking'].field_name}-{option(campaign, 'ranking', 'Soir').id}"] = "1"
        data[f"{q['ranking'].field_name}-{option(campaign, 'ranking', 'Matin').id}"] = "2"
    if "number" in q:
        data[q["number"].field_name] = "3"
    if "short" in q:
        data[q["short"].field_name] = "Un banc"
    if "long" in q:
        data[q["long"].field_name] = "Des arbres, beaucoup d’arbres."
    if "place" in q:
        data[q["place"].field_name] = str(option(campaign, "place", "Rue A").id)
    data.update(overrides)
    return data


def _has(campaign, key) -> bool:
    return any(q.label == key for s in campaign.sections for q in s.questions)


def make_text_answer(campaign: Campaign, key: str, text: str = "Une idée.", **fields):
    """A pending free-text answer (with its response)."""
    from portal.consultations import tallies
    from portal.consultations.models import Channel, Response, TextAnswer

    response = Response(campaign_id=campaign.id, idempotency_key=f"fabrique-{next(_n):012d}")
    db.session.add(response)
    db.session.flush()
    values = {"publication_status": PublicationStatus.PENDING}
    values.update(fields)
    answer = TextAnswer(response_id=response.id, question_id=question(campaign, key).id,
                        text=text, **values)
    db.session.add(answer)
    increments = tallies.Increments()
    increments.response([], [(answer.question_id, None, text)])
    tallies.add(campaign.id, response.channel or Channel.ONLINE, increments)
    db.session.commit()
    return answer
