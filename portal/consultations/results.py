"""Results of a campaign: the whole campaign or one channel read from its running tallies
(tallies.py: two small queries, whatever the number of answers); filtered by a profile
answer, counted in SQL (GROUP BY on answer rows, cached until the answers change). Either
way a fixed handful of queries, and no answer row ever loaded into Python.

Multiple choice is counted per option (one answer row per chosen option); percentages are
of the people who answered that question. A filter (a channel, or one option of a profile
question) restricts every count to the matching responses.
"""

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, union_all

from ..extensions import db
from ..publication import PublicationStatus
from . import tallies
from .answering import questions_of
from .models import Answer, Campaign, Channel, Question, QuestionKind, Response, TextAnswer

TEXTS_SHOWN = 50  # approved free-text answers shown per question


@dataclass
class Bar:
    label: object  # the option (or the scale value)
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    bars: list[Bar] = field(default_factory=list)
    median: float | None = None
    average: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[str] = field(default_factory=list)
    texts_total: int = 0


@dataclass
class Results:
    campaign: Campaign
    total: int
    by_channel: list[tuple[Channel, int]]
    questions: list[QuestionResult]


def _responses(campaign: Campaign, channel: Channel | None, option_id: int | None):
    """The ids of the responses counted (a subquery)."""
    query = db.select(Response.id).where(Response.campaign_id == campaign.id)
    if channel is not None:
        query = query.where(Response.channel == channel)
    if option_id is not None:
        query = query.where(Response.id.in_(
            db.select(Answer.response_id).where(Answer.option_id == option_id)))
    return query


def _percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def median_of(distribution: dict[int, int]) -> float | None:
    """The median of a distribution {value: count} (the mean of the middle two if even)."""
    total = sum(distribution.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(distribution):
        for index in middle:
            if seen <= index < seen + distribution[value]:
                found.append(value)
        seen += distribution[value]
    return sum(found) / len(found)


@dataclass(frozen=True)
class Aggregates:
    """The counts of one campaign (and filter), plain numbers only: what the cache keeps."""

    total: int
    by_channel: list
    respondents: dict
    options: dict
    ranks: dict
    scales: dict
    numbers: dict
    text_totals: dict
    shown: dict


# (campaign id, channel, option id) -> (stamp, Aggregates). Results are counted again only
# when the campaign's answers or text decisions changed (the stamp): the page stays flat
# however many answers it shows. One process, bounded (a campaign has few filters).
_CACHE: dict = {}
_CACHE_SIZE = 256


def _stamp(campaign: Campaign) -> tuple:
    """What changes whenever a count would: responses added, a free text decided."""
    responses = db.session.execute(
        db.select(func.count(), func.max(Response.id))
        .where(Response.campaign_id == campaign.id)).one()
    decided = db.session.execute(
        db.select(func.count(), func.max(TextAnswer.decided_at))
        .join(Response, Response.id == TextAnswer.response_id)
        .where(Response.campaign_id == campaign.id,
               TextAnswer.publication_status == PublicationStatus.PUBLISHED)).one()
    return (campaign.slug, campaign.created_at) + tuple(responses) + tuple(decided) + (tuple(
        (q.id, q.kind.value) for q in questions_of(campaign)),)


def compute(campaign: Campaign, channel: Channel | None = None,
            option_id: int | None = None) -> Results:
    if option_id is None:
        # The whole campaign, or one channel: read from the running tallies (two queries
        # whatever the number of answers), never cached, so always current.
        return _assemble(campaign, _from_tallies(campaign, channel))
    # One profile answer: counted from the answer rows, then cached until the answers change.
    key = (campaign.id, channel, option_id)
    stamp = _stamp(campaign)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        aggregates = cached[1]
    else:
        aggregates = _aggregate(campaign, channel, option_id)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (stamp, aggregates)
    return _assemble(campaign, aggregates)


def _from_tallies(campaign: Campaign, channel: Channel | None) -> Aggregates:
    total, respondents, options, ranks, scales, numbers, text_totals = 0, {}, {}, {}, {}, {}, {}
    for what, question, option, value, count, summed, low, high in tallies.read(
            campaign.id, channel):
        if what == "responses":
            total = count
        elif what == "respondents":
            respondents[question] = count
        elif what == "option":
            options[(question, option)] = count
        elif what == "rank":
            ranks[(question, option)] = [count, summed]
        elif what == "scale":
            scales.setdefault(question, {})[value] = count
        elif what == "number" and count:
            numbers[question] = (count, summed / count, low, high)
        elif what == "texts":
            text_totals[question] = count
    by_channel = tallies.by_channel(campaign.id)
    text_in = None
    if channel is not None:
        by_channel = [(c, n) for c, n in by_channel if c is channel]
        text_in = TextAnswer.response_id.in_(_responses(campaign, channel, None))
    return Aggregates(total, by_channel, respondents, options, ranks, scales, numbers,
                      text_totals, _published_texts(campaign, text_in))


def _aggregate(campaign: Campaign, channel: Channel | None, option_id: int | None
               ) -> Aggregates:
    if channel is None and option_id is None:
        # Every response of the campaign: its questions' rows, through the answers' index.
        ids = [q.id for q in questions_of(campaign)] or [0]
        in_counted = Answer.question_id.in_(ids)
        text_in = TextAnswer.question_id.in_(ids)
    else:
        in_counted = Answer.response_id.in_(_responses(campaign, channel, option_id))
        text_in = TextAnswer.response_id.in_(_responses(campaign, channel, option_id))
    total = db.session.scalar(db.select(func.count()).select_from(
        _responses(campaign, channel, option_id).subquery()))
    by_channel = db.session.execute(
        db.select(Response.channel, func.count()).where(Response.id.in_(
            _responses(campaign, channel, option_id)))
        .group_by(Response.channel).order_by(func.count().desc())).all()
    # Who answered each question (choice, scale, number, ranking rows; texts apart).
    respondents = dict(db.session.execute(
        db.select(Answer.question_id, func.count(distinct(Answer.response_id)))
        .where(in_counted).group_by(Answer.question_id)).all())
    # One row per (question, option, value): options counted; scale values distributed;
    # ranks summed.
    rows = db.session.execute(
        db.select(Answer.question_id, Answer.option_id, Answer.value, func.count())
        .where(in_counted, Answer.number.is_(None))
        .group_by(Answer.question_id, Answer.option_id, Answer.value)).all()
    numbers = {q: (n, avg, low, high) for q, n, avg, low, high in db.session.execute(
        db.select(Answer.question_id, func.count(), func.avg(Answer.number),
                  func.min(Answer.number), func.max(Answer.number))
        .where(in_counted, Answer.number.is_not(None)).group_by(Answer.question_id)).all()}
    text_totals = dict(db.session.execute(
        db.select(TextAnswer.question_id, func.count(distinct(TextAnswer.response_id)))
        .where(text_in).group_by(TextAnswer.question_id)).all())
    shown = _published_texts(campaign, text_in)

    options: dict[tuple[int, int], int] = {}
    ranks: dict[tuple[int, int], list[int]] = {}  # (question, option) -> [count, rank sum]
    scales: dict[int, dict[int, int]] = {}
    for question_id, opt, value, count in rows:
        if opt is not None and value is not None:  # a rank
            entry = ranks.setdefault((question_id, opt), [0, 0])
            entry[0] += count
            entry[1] += count * value
        elif opt is not None:
            options[(question_id, opt)] = count
        elif value is not None:
            scales.setdefault(question_id, {})[value] = count
    return Aggregates(total or 0, [tuple(row) for row in by_channel], respondents, options,
                      ranks, scales, numbers, text_totals, shown)


def _assemble(campaign: Campaign, a: Aggregates) -> Results:
    respondents, options, ranks, scales = a.respondents, a.options, a.ranks, a.scales
    numbers, text_totals, shown = a.numbers, a.text_totals, a.shown
    results = []
    for question in questions_of(campaign):
        result = QuestionResult(question, respondents.get(question.id, 0))
        kind = question.kind
        if kind in (QuestionKind.RANKING,):
            averages = []
            for option in question.options:
                count, rank_sum = ranks.get((question.id, option.id), (0, 0))
                if option.hidden and not count:
                    continue
                averages.append((rank_sum / count if count else None, option, count))
            averages.sort(key=lambda item: (item[0] is None, item[0] or 0))
            result.bars = [Bar(option, count, round(avg, 2) if avg is not None else 0)
                           for avg, option, count in averages]
        elif kind.has_options:
            for option in question.options:
                count = options.get((question.id, option.id), 0)
                if option.hidden and not count:
                    continue
                result.bars.append(Bar(option, count, _percent(count, result.respondents)))
        elif kind is QuestionKind.SCALE:
            distribution = scales.get(question.id, {})
            result.bars = [Bar(value, distribution.get(value, 0),
                               _percent(distribution.get(value, 0), result.respondents))
                           for value in range(1, 6)]
            result.median = median_of(distribution)
        elif kind is QuestionKind.NUMBER and question.id in numbers:
            count, average, low, high = numbers[question.id]
            result.respondents, result.average = count, round(float(average), 2)
            result.minimum, result.maximum = low, high
        elif kind.is_text:
            result.respondents = text_totals.get(question.id, 0)
        result.texts = shown.get(question.id, [])
        result.texts_total = text_totals.get(question.id, 0)
        results.append(result)
    return Results(campaign, a.total, a.by_channel, results)


def _published_texts(campaign: Campaign, text_in=None) -> dict[int, list[str]]:
    """Up to TEXTS_SHOWN approved texts per question, newest first: one query, a UNION of one
    LIMITed range of the (question, status, id) index per question that can hold texts, so
    it reads at most TEXTS_SHOWN rows a question whatever the number of answers."""
    parts = []
    for question in questions_of(campaign):
        if not (question.kind.is_text or any(o.is_other for o in question.options)):
            continue
        query = (db.select(TextAnswer.question_id, TextAnswer.text)
                 .where(TextAnswer.question_id == question.id,
                        TextAnswer.publication_status == PublicationStatus.PUBLISHED)
                 .order_by(TextAnswer.id.desc()).limit(TEXTS_SHOWN))
        if text_in is not None:
            query = query.where(text_in)
        parts.append(db.select(query.subquery()))
    if not parts:
        return {}
    shown: dict[int, list[str]] = {}
    for question_id, text in db.session.execute(
            union_all(*parts) if len(parts) > 1 else parts[0]):
        shown.setdefault(question_id, []).append(text)
    return shown
