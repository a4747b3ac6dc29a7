"""Participation figures of a bilan: consultation answers by campaign and channel, rendez-vous
held with their registrations and attendance, and the share of participation that came
through an assisted channel (paper, phone, Maison Mobile, workshop, desk).

Each figure has one definition below, shown on the page, in the CSV and in the workbook; each
is one GROUP BY in SQL over indexed columns (see migration 0018), scoped to the quartiers
asked. /chiffres calls the same functions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from .. import clock
from ..consultations.models import Campaign, Response, consultation_quartier
from ..consultations.models import Channel as AnswerChannel
from ..contributions.models import Contribution
from ..events.models import Channel as RegistrationChannel
from ..events.models import Event, EventStatus, Registration, RegistrationStatus
from ..extensions import db
from ..publication import PublicationStatus
from .tables import Block, Table

ANSWERS = _l("Réponses : questionnaires reçus sur la période (date de la réponse), quel que "
             "soit le canal ; une concertation ouverte sur deux mois compte dans chaque mois "
             "ses réponses de ce mois. Une concertation qui concerne plusieurs quartiers "
             "compte dans chacun, une seule fois dans le total.")
HELD = _l("Rendez-vous tenus : rendez-vous publiés, non annulés, dont l’heure de début est "
          "sur la période et passée.")
CANCELLED = _l("Rendez-vous annulés : rendez-vous publiés de la période annoncés comme "
               "annulés ; leurs inscriptions ne sont pas comptées.")
REGISTERED = _l("Inscrits : personnes des inscriptions confirmées (accompagnants compris) "
                "aux rendez-vous tenus.")
ATTENDANCE = _l("Présents : personnes comptées par l’équipe à la fin des rendez-vous tenus.")
ATTENDANCE_RATIO = _l("Taux de présence : présents rapportés aux inscrits, sur les seuls "
                      "rendez-vous tenus avec inscription dont la présence a été saisie, en "
                      "pourcentage ; « — » quand aucun ne l’est.")
ASSISTED = _l("Participation accompagnée : réponses aux concertations, personnes inscrites "
              "aux rendez-vous tenus et contributions déposées sur la période, saisies par "
              "l’équipe pour un habitant (papier, téléphone, Maison Mobile, atelier, "
              "accueil) plutôt qu’en ligne, en pourcentage du total.")

ANSWER_CHANNELS = {
    AnswerChannel.ONLINE: _l("En ligne"),
    AnswerChannel.PAPER: _l("Papier"),
    AnswerChannel.PHONE: _l("Téléphone"),
    AnswerChannel.MOBILE_HOUSE: _l("Maison Mobile"),
    AnswerChannel.WORKSHOP: _l("Atelier"),
}
ONLINE = "online"  # the one channel a resident uses alone, in each domain's Channel
NONE = "—"  # a ratio without a base: shown, exported and charted as nothing


def percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else NONE


def _campaigns_of(quartier_ids: list[int]):
    return (db.select(consultation_quartier.c.campaign_id)
            .where(consultation_quartier.c.quartier_id.in_(quartier_ids)))


def _answers_in(period, quartier_ids: list[int]):
    start, end = period.utc_bounds()
    return (Response.submitted_at >= start, Response.submitted_at < end,
            Response.campaign_id.in_(_campaigns_of(quartier_ids)))


class Answers:
    """The answers of a period to the quartiers' campaigns, counted once in SQL by campaign and
    channel (a few hundred rows at most); every answers figure is a sum of these counts, so the
    page reads consultation_response once."""

    def __init__(self, period, quartier_ids: list[int]):
        self.quartier_ids = quartier_ids
        self.counts: dict[int, dict] = {}
        for campaign_id, channel, n in db.session.execute(
                db.select(Response.campaign_id, Response.channel, func.count())
                .where(*_answers_in(period, quartier_ids))
                .group_by(Response.campaign_id, Response.channel)):
            self.counts.setdefault(campaign_id, {})[channel] = int(n)
        self.quartiers: dict[int, set[int]] = {}
        if self.counts:
            for campaign_id, quartier_id in db.session.execute(
                    db.select(consultation_quartier.c.campaign_id,
                              consultation_quartier.c.quartier_id)
                    .where(consultation_quartier.c.campaign_id.in_(list(self.counts)))):
                self.quartiers.setdefault(campaign_id, set()).add(quartier_id)

    def by_campaign(self) -> list[list]:
        """Rows [campaign title, one count per channel..., total], in opening order."""
        if not self.counts:
            return []
        titles = db.session.execute(
            db.select(Campaign.id, Campaign.title).where(Campaign.id.in_(list(self.counts)))
            .order_by(Campaign.opens_at, Campaign.id))
        table = []
        for campaign_id, title in titles:
            values = [self.counts[campaign_id].get(channel, 0) for channel in ANSWER_CHANNELS]
            table.append([title, *values, sum(values)])
        return table

    def by_quartier(self) -> dict[int, int]:
        """{quartier_id: answers} (a campaign of two quartiers counts in each)."""
        found = dict.fromkeys(self.quartier_ids, 0)
        for campaign_id, channels in self.counts.items():
            for quartier_id in self.quartiers.get(campaign_id, ()):
                if quartier_id in found:
                    found[quartier_id] += sum(channels.values())
        return found

    def by_channel(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for channels in self.counts.values():
            for channel, n in channels.items():
                found[channel.value] = found.get(channel.value, 0) + n
        return found

    def total(self) -> int:
        """Each answer once, whatever the number of quartiers its campaign asks."""
        return sum(sum(channels.values()) for channels in self.counts.values())


def answers_by_campaign(period, quartier_ids: list[int]) -> list[list]:
    return Answers(period, quartier_ids).by_campaign()


def answers_by_quartier(period, quartier_ids: list[int]) -> dict[int, int]:
    return Answers(period, quartier_ids).by_quartier()


def answers_total(period, quartier_ids: list[int]) -> int:
    return Answers(period, quartier_ids).total()


def _events_in(period, quartier_ids: list[int]):
    start, end = period.utc_bounds()
    return (Event.starts_at >= start, Event.starts_at < end,
            Event.quartier_id.in_(quartier_ids),
            Event.publication_status == PublicationStatus.PUBLISHED)


def _held(now):
    return (Event.status != EventStatus.CANCELLED) & (Event.starts_at <= now)


EVENT_KEYS = ("held", "cancelled", "registered", "attended", "ratio_attended",
              "ratio_registered")


class Events:
    """The period's published rendez-vous of the quartiers with their confirmed people, in
    one statement: the registrations summed per event (all channels, and online) from
    ix_event_registration_bilan, joined to the events and summed per quartier, so a few
    rows come back whatever the number of events. The rendez-vous figures and the people of
    the assisted share both come from it."""

    def __init__(self, period, quartier_ids: list[int]):
        people = (db.select(Registration.event_id,
                            func.sum(Registration.people).label("people"),
                            func.sum(case((Registration.channel == RegistrationChannel.ONLINE,
                                           Registration.people),
                                          else_=0)).label("online"))
                  .join(Event, Event.id == Registration.event_id)
                  .where(*_events_in(period, quartier_ids),
                         Registration.status == RegistrationStatus.CONFIRMED)
                  .group_by(Registration.event_id).subquery())
        held = _held(clock.utcnow())
        registered = func.coalesce(people.c.people, 0)
        measured = held & Event.registration & Event.attendance.is_not(None) & (registered > 0)

        def total(condition, value):
            return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

        rows = db.session.execute(
            db.select(Event.quartier_id, total(held, 1),
                      total(Event.status == EventStatus.CANCELLED, 1), total(held, registered),
                      total(held & Event.attendance.is_not(None), Event.attendance),
                      total(measured, Event.attendance), total(measured, registered),
                      total(held, func.coalesce(people.c.online, 0)))
            .outerjoin(people, people.c.event_id == Event.id)
            .where(*_events_in(period, quartier_ids))
            .group_by(Event.quartier_id))
        self.counts = {qid: dict.fromkeys(EVENT_KEYS, 0) for qid in quartier_ids}
        self.online = 0
        for qid, *values, online in rows:
            self.counts[qid] = dict(zip(EVENT_KEYS, (int(v) for v in values), strict=True))
            self.online += int(online)

    def by_quartier(self) -> dict[int, dict[str, int]]:
        """{quartier_id: {held, cancelled, registered, attended, ratio_attended,
        ratio_registered}} (definitions HELD to ATTENDANCE_RATIO)."""
        return self.counts

    def held_people_by_channel(self) -> dict[str, int]:
        """Confirmed people of the held rendez-vous: online, and through the team."""
        whole = sum(row["registered"] for row in self.counts.values())
        return {ONLINE: self.online, "assisted": whole - self.online}


def events_by_quartier(period, quartier_ids: list[int]) -> dict[int, dict[str, int]]:
    return Events(period, quartier_ids).by_quartier()


def assisted_shares(period, quartier_ids: list[int], answers: Answers | None = None,
                    events: Events | None = None) -> list[list]:
    """Rows [what, total, assisted, share %]: the answers' and events' counts, and one
    grouped count of the contributions."""
    start, end = period.utc_bounds()
    answers = answers or Answers(period, quartier_ids)
    events = events or Events(period, quartier_ids)
    reports = db.session.execute(
        db.select(Contribution.channel, func.count())
        .where(Contribution.submitted_at >= start, Contribution.submitted_at < end,
               Contribution.quartier_id.in_(quartier_ids))
        .group_by(Contribution.channel))
    table = []
    for label, rows in ((_l("Réponses aux concertations"), answers.by_channel().items()),
                        (_l("Personnes inscrites aux rendez-vous"),
                         events.held_people_by_channel().items()),
                        (_l("Contributions"), reports)):
        split = {getattr(channel, "value", channel): int(n or 0) for channel, n in rows}
        whole = sum(split.values())
        assisted = whole - split.get(ONLINE, 0)
        table.append([label, whole, assisted, percent(assisted, whole)])
    return table


def block(period, quartiers) -> Block:
    ids = [q.id for q in quartiers]
    answers = Answers(period, ids)
    campaigns, by_quartier = answers.by_campaign(), answers.by_quartier()
    read = Events(period, ids)
    events = read.by_quartier()
    event_rows = [[q.name, events[q.id]["held"], events[q.id]["cancelled"],
                   events[q.id]["registered"], events[q.id]["attended"],
                   percent(events[q.id]["ratio_attended"], events[q.id]["ratio_registered"])]
                  for q in quartiers]
    sums = {key: sum(events[q.id][key] for q in quartiers) for key in EVENT_KEYS}
    shares = assisted_shares(period, ids, answers, read)
    whole, assisted = sum(r[1] for r in shares), sum(r[2] for r in shares)
    return Block("participation", _l("Participation"), [
        Table("reponses", _l("Réponses aux concertations par canal"), ANSWERS,
              [_l("Concertation"), *ANSWER_CHANNELS.values(), _l("Total")], campaigns,
              chart_columns=tuple(range(1, 6))),
        Table("reponses-par-quartier", _l("Réponses aux concertations par quartier"), ANSWERS,
              [_l("Quartier"), _l("Réponses")], [[q.name, by_quartier[q.id]] for q in quartiers],
              totals=[answers.total()]),
        Table("rendez-vous", _l("Rendez-vous, inscrits et présents par quartier"),
              " ".join(str(t) for t in (HELD, CANCELLED, REGISTERED, ATTENDANCE,
                                        ATTENDANCE_RATIO)),
              [_l("Quartier"), _l("Tenus"), _l("Annulés"), _l("Inscrits"), _l("Présents"),
               _l("Taux de présence (%)")], event_rows, chart_columns=(3, 4),
              totals=[sums["held"], sums["cancelled"], sums["registered"], sums["attended"],
                      percent(sums["ratio_attended"], sums["ratio_registered"])]),
        Table("accompagnement", _l("Participation accompagnée"), ASSISTED,
              [_l("Participation"), _l("Total"), _l("Accompagnée"), _l("Part accompagnée (%)")],
              shares, chart_columns=(1, 2),
              totals=[whole, assisted, percent(assisted, whole)]),
    ])
