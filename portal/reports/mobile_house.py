"""Maison Mobile figures of a bilan: passages planned, held and cancelled (with reasons) and
the people received, per quartier.

Planned passages are not rows: they come from the visits' rules (the same expansion the public
schedule uses, so the bilan and the page agree); cancellations and people received are
aggregated in SQL."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from .. import clock
from ..extensions import db
from ..mobile_house import queries as visits
from ..mobile_house import recurrence
from ..mobile_house.models import Visit, VisitCancellation, VisitReport
from .tables import Block, Table

PLANNED = _l("Passages prévus : ceux du calendrier publié sur la période, annulés compris.")
HELD = _l("Passages tenus : passages prévus, non annulés, dont le jour est passé.")
RECEIVED = _l("Personnes reçues : saisies par l’équipe à la fin de chaque passage.")


def passages(period, quartier_ids: list[int]) -> dict[int, dict[str, int]]:
    """{quartier_id: {planned, held, cancelled, received}}: four queries, whatever the
    number of visits."""
    counts = {qid: {"planned": 0, "held": 0, "cancelled": 0, "received": 0}
              for qid in quartier_ids}
    # Only the series whose span meets the period, as plain columns: the others have no
    # occurrence in it. The same expansion as the schedule's (recurrence.dated).
    plans = visits.published_plans((period.first, period.last), quartier_ids)
    today = clock.today()
    for visit, day, cancelled in recurrence.dated(plans, visits.school_holidays(),
                                                  period.first, period.end):
        row = counts[visit.quartier_id]
        row["planned"] += 1
        if cancelled:
            row["cancelled"] += 1
        elif day <= today:
            row["held"] += 1
    received = db.session.execute(
        db.select(VisitReport.quartier_id, func.sum(VisitReport.people_received))
        .where(VisitReport.occurs_on >= period.first, VisitReport.occurs_on < period.end,
               VisitReport.quartier_id.in_(quartier_ids))
        .group_by(VisitReport.quartier_id))
    for qid, total in received:
        counts[qid]["received"] = int(total or 0)
    return counts


def cancellation_reasons(period, quartier_ids: list[int]) -> list[list]:
    rows = db.session.execute(
        db.select(VisitCancellation.reason, func.count())
        .join(Visit, Visit.id == VisitCancellation.visit_id)
        .where(VisitCancellation.occurs_on >= period.first,
               VisitCancellation.occurs_on < period.end, Visit.quartier_id.in_(quartier_ids),
               Visit.is_published)
        .group_by(VisitCancellation.reason).order_by(func.count().desc(),
                                                     VisitCancellation.reason))
    return [[reason, count] for reason, count in rows]


def block(period, quartiers) -> Block:
    counts = passages(period, [q.id for q in quartiers])
    rows = [[q.name, counts[q.id]["planned"], counts[q.id]["held"], counts[q.id]["cancelled"],
             counts[q.id]["received"]] for q in quartiers]
    return Block("maison-mobile", _l("Maison Mobile"), [
        Table("passages", _l("Passages de la Maison Mobile par quartier"),
              " ".join(str(t) for t in (PLANNED, HELD, RECEIVED)),
              [_l("Quartier"), _l("Prévus"), _l("Tenus"), _l("Annulés"), _l("Personnes reçues")],
              rows, chart_columns=(2, 4)),
        Table("annulations", _l("Raisons des passages annulés"),
              _l("Passages annulés sur la période, par raison donnée sur le site."),
              [_l("Raison"), _l("Passages annulés")],
              cancellation_reasons(period, [q.id for q in quartiers])),
    ])
