"""Reading a filled questionnaire: every question checked on the server, whatever the browser
sent (a tampered option id, a hidden question answered, a value out of range), with a message
per field and the typed values kept to show the form again.

Nothing here writes: `read_answers` returns what to store (`Parsed.answers`, `Parsed.texts`)
or the errors; editing.record_response stores it.
"""

import hashlib
import json
import math
from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .models import Campaign, Question, QuestionKind

SCALE = range(1, 6)
MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 5000
MAX_OTHER_TEXT = 300


@dataclass
class Parsed:
    values: MultiDict  # what was sent, to fill the form again
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    # (question_id, option_id, value, number) rows, and (question_id, option_id, text) texts
    answers: list[tuple] = field(default_factory=list)
    texts: list[tuple] = field(default_factory=list)
    shown: set[int] = field(default_factory=set)  # questions asked (conditions met)

    @property
    def ok(self) -> bool:
        return not self.errors

    def digest(self) -> str:
        """The same answers give the same digest (duplicate checks)."""
        data = sorted(map(list, self.answers)) + sorted(map(list, self.texts))
        return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def questions_of(campaign: Campaign) -> list[Question]:
    return [q for section in campaign.sections for q in section.questions]


def is_shown(question: Question, chosen: set[int]) -> bool:
    return question.condition_option_id is None or question.condition_option_id in chosen


def read_answers(campaign: Campaign, form: MultiDict) -> Parsed:
    parsed = Parsed(values=MultiDict(form))
    chosen: set[int] = set()  # options chosen so far: the conditions of later questions
    for question in questions_of(campaign):
        if not is_shown(question, chosen):
            continue  # whatever was sent for it is ignored: it was not asked
        parsed.shown.add(question.id)
        before = len(parsed.answers)
        _READERS[question.kind](question, form, parsed)
        chosen.update(row[1] for row in parsed.answers[before:] if row[1] is not None)
    if not parsed.ok:
        parsed.answers, parsed.texts = [], []
    return parsed


def _error(parsed: Parsed, name: str, message: str) -> None:
    parsed.errors.setdefault(name, message)


def _missing(question: Question, parsed: Parsed) -> None:
    if question.required:
        _error(parsed, question.field_name, _("Répondez à cette question."))


def _option_ids(question: Question) -> dict[int, object]:
    return {option.id: option for option in question.visible_options}


def _as_id(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _other_text(question, option, form, parsed) -> bool:
    name = f"{question.field_name}-autre"
    text = (form.get(name) or "").strip()
    if not text:
        _error(parsed, name, _("Précisez votre réponse « autre »."))
        return False
    if len(text) > MAX_OTHER_TEXT:
        _error(parsed, name, _("Écrivez au plus %(n)d caractères.", n=MAX_OTHER_TEXT))
        return False
    parsed.texts.append((question.id, option.id, text))
    return True


def _read_one(question: Question, form, parsed: Parsed) -> None:
    raw = form.get(question.field_name)
    if not raw:
        return _missing(question, parsed)
    options = _option_ids(question)
    option = options.get(_as_id(raw))
    if option is None:
        return _error(parsed, question.field_name, _("Choisissez une des réponses proposées."))
    if option.is_other and not _other_text(question, option, form, parsed):
        return
    parsed.answers.append((question.id, option.id, None, None))


def _read_many(question: Question, form, parsed: Parsed) -> None:
    raws = [raw for raw in form.getlist(question.field_name) if raw]
    if not raws:
        return _missing(question, parsed)
    options = _option_ids(question)
    ids = [_as_id(raw) for raw in raws]
    if any(i not in options for i in ids) or len(set(ids)) != len(ids):
        return _error(parsed, question.field_name, _("Choisissez parmi les réponses proposées."))
    if question.max_choices and len(ids) > question.max_choices:
        return _error(parsed, question.field_name,
                      _("Choisissez au plus %(n)d réponses.", n=question.max_choices))
    for option_id in ids:
        if options[option_id].is_other and not _other_text(question, options[option_id], form,
                                                            parsed):
            return
    parsed.answers.extend((question.id, option_id, None, None) for option_id in ids)


def _read_scale(question: Question, form, parsed: Parsed) -> None:
    raw = (form.get(question.field_name) or "").strip()
    if not raw:
        return _missing(question, parsed)
    if not raw.isdigit() or int(raw) not in SCALE:
        return _error(parsed, question.field_name, _("Choisissez une note de 1 à 5."))
    parsed.answers.append((question.id, None, int(raw), None))


def ranking_size(question: Question) -> int:
    return min(question.max_choices or 99, len(question.visible_options))


def _read_ranking(question: Question, form, parsed: Parsed) -> None:
    size = ranking_size(question)
    ranks = {}
    for option in question.visible_options:
        raw = (form.get(f"{question.field_name}-{option.id}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= size:
            return _error(parsed, question.field_name,
                          _("Donnez des rangs de 1 à %(n)d.", n=size))
        ranks[option.id] = int(raw)
    if not ranks:
        return _missing(question, parsed)
    if len(set(ranks.values())) != len(ranks):
        return _error(parsed, question.field_name, _("Donnez un rang différent à chaque choix."))
    parsed.answers.extend((question.id, option_id, rank, None)
                          for option_id, rank in sorted(ranks.items()))


def _read_number(question: Question, form, parsed: Parsed) -> None:
    raw = (form.get(question.field_name) or "").strip().replace(",", ".").replace(" ", "")
    if not raw:
        return _missing(question, parsed)
    try:
        number = float(raw) if len(raw) <= 20 else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return _error(parsed, question.field_name, _("Écrivez un nombre, par exemple 3."))
    low, high = question.number_min, question.number_max
    if (low is not None and number < low) or (high is not None and number > high):
        return _error(parsed, question.field_name, _(
            "Écrivez un nombre entre %(low)s et %(high)s.",
            low=_plain(low) if low is not None else "…", high=_plain(high) if high is not None
            else "…"))
    parsed.answers.append((question.id, None, None, number))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _read_text(question: Question, form, parsed: Parsed) -> None:
    text = (form.get(question.field_name) or "").replace("\r\n", "\n").strip()
    if not text:
        return _missing(question, parsed)
    limit = MAX_SHORT_TEXT if question.kind is QuestionKind.SHORT_TEXT else MAX_LONG_TEXT
    if len(text) > limit:
        return _error(parsed, question.field_name,
                      _("Écrivez au plus %(n)d caractères.", n=limit))
    parsed.texts.append((question.id, None, text))


_READERS = {
    QuestionKind.YES_NO: _read_one,
    QuestionKind.SINGLE: _read_one,
    QuestionKind.PLACE: _read_one,
    QuestionKind.MULTIPLE: _read_many,
    QuestionKind.SCALE: _read_scale,
    QuestionKind.RANKING: _read_ranking,
    QuestionKind.NUMBER: _read_number,
    QuestionKind.SHORT_TEXT: _read_text,
    QuestionKind.LONG_TEXT: _read_text,
}
