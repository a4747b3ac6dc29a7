"""Cadre de vie figures of a bilan: contributions received, published, rejected and resolved
by category; the median time to the first official answer and to resolution, per quartier;
the reports passed to each partner and those still waiting there past the target.

Each figure has one definition below (shown on the page, in the CSV and the workbook), is a
GROUP BY in SQL over indexed columns, and is scoped to the quartiers asked. Medians are
computed by the database (reports/sql.py). /chiffres calls the same functions."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from .. import clock
from ..contributions.admin import STALE_DAYS
from ..contributions.models import Contribution, ContributionUpdate, Status
from ..contributions.texts import CATEGORIES, PARTNERS
from ..extensions import db
from ..publication import PublicationStatus
from .participation import NONE
from .sql import days_between, median_by, medians_and_overall
from .tables import Block, Table

RECEIVED = _l("Reçues : contributions (signalements et idées) déposées sur la période, par "
              "tout canal.")
PUBLISHED = _l("Publiées, refusées : parmi les contributions reçues sur la période, celles "
               "publiées, ou refusées par la modération, au jour de l’extraction.")
RESOLVED = _l("Résolues : contributions passées à « résolu » sur la période et toujours "
              "résolues ; une contribution rouverte après « résolu » ne compte plus, elle "
              "compte à sa nouvelle résolution.")
FIRST_ANSWER = _l("Délai de première réponse : pour les contributions dont la première "
                  "réponse officielle date de la période, jours entre le dépôt et cette "
                  "réponse ; médiane (la moitié a attendu moins, la moitié plus).")
RESOLUTION = _l("Délai de résolution : pour les contributions résolues sur la période, jours "
                "entre le dépôt et la dernière résolution ; médiane.")
TRANSMITTED = _l("Transmises : contributions passées à un partenaire sur la période (une "
                 "contribution transmise deux fois au même partenaire compte une fois).")
TARGET_DAYS = STALE_DAYS  # the same delay as the dashboard's "sans nouvelles" list
WAITING = _l("En attente au-delà de l’objectif : contributions toujours chez le partenaire, au "
             "jour de l’extraction, transmises depuis plus de %(days)d jours.", days=TARGET_DAYS)
NO_CATEGORY = _l("Sans catégorie (idées)")


def days(value):
    """A median in days, to one decimal; nothing to measure: —."""
    return NONE if value is None else round(float(value), 1)


def by_category(period, quartier_ids: list[int]) -> list[list]:
    """Rows [category, received, published, rejected, resolved], in CATEGORIES order."""
    start, end = period.utc_bounds()

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    cohort = db.session.execute(
        db.select(Contribution.category, func.count(),
                  count(Contribution.publication_status == PublicationStatus.PUBLISHED),
                  count(Contribution.publication_status == PublicationStatus.REJECTED))
        .where(Contribution.submitted_at >= start, Contribution.submitted_at < end,
               Contribution.quartier_id.in_(quartier_ids))
        .group_by(Contribution.category))
    counts: dict[str, list[int]] = {}
    for category, *values in cohort:
        counts[category] = [int(v) for v in values] + [0]
    resolved = resolved_query(period, quartier_ids, Contribution.category)
    for category, n in db.session.execute(resolved):
        counts.setdefault(category, [0, 0, 0, 0])[3] = int(n)
    order = [*CATEGORIES, ""]
    return [[CATEGORIES.get(key, NO_CATEGORY) if key else NO_CATEGORY, *counts[key]]
            for key in sorted(counts, key=lambda k: order.index(k) if k in order else 0)]


def _resolved_in(period, quartier_ids):
    start, end = period.utc_bounds()
    return (Contribution.status == Status.RESOLVED, Contribution.closed_at >= start,
            Contribution.closed_at < end, Contribution.quartier_id.in_(quartier_ids))


def resolved_query(period, quartier_ids, key):
    return (db.select(key, func.count()).where(*_resolved_in(period, quartier_ids))
            .group_by(key))


def resolved_by_quartier(period, quartier_ids: list[int]) -> dict[int, int]:
    found = dict(db.session.execute(resolved_query(period, quartier_ids,
                                                   Contribution.quartier_id)).all())
    return {qid: int(found.get(qid, 0)) for qid in quartier_ids}


def _first_answer_days(period, quartier_ids):
    start, end = period.utc_bounds()
    return (db.select(Contribution.quartier_id.label("key"),
                      days_between(Contribution.first_answered_at,
                                   Contribution.submitted_at).label("value"))
            .where(Contribution.first_answered_at >= start, Contribution.first_answered_at < end,
                   Contribution.quartier_id.in_(quartier_ids)))


def _resolution_days(period, quartier_ids):
    return (db.select(Contribution.quartier_id.label("key"),
                      days_between(Contribution.closed_at, Contribution.submitted_at)
                      .label("value"))
            .where(*_resolved_in(period, quartier_ids)))


def _medians(values) -> dict[int, tuple[float, int]]:
    return {key: (median, int(n)) for key, median, n in db.session.execute(median_by(values))}


def _medians_and_overall(values) -> tuple[dict[int, tuple[float, int]], tuple]:
    found, every = {}, (None, 0)
    for key, median, n in db.session.execute(medians_and_overall(values)):
        if key is None:
            every = (median, int(n or 0))
        else:
            found[key] = (median, int(n))
    return found, every


def delays(period, quartier_ids: list[int], overall: bool = True) -> dict:
    """{quartier_id: {answer_days, answered, resolution_days, resolved}} and, with `overall`,
    under "all" the same for every quartier asked together (a median is not the median of
    medians)."""
    answers, resolutions = (_first_answer_days(period, quartier_ids),
                            _resolution_days(period, quartier_ids))
    if overall:  # each set of values read and ranked once for its keys and for all
        by_answer, answer = _medians_and_overall(answers)
        by_resolution, resolution = _medians_and_overall(resolutions)
    else:
        by_answer, by_resolution = _medians(answers), _medians(resolutions)
    found = {}
    for qid in quartier_ids:
        one, res = by_answer.get(qid, (None, 0)), by_resolution.get(qid, (None, 0))
        found[qid] = {"answer_days": days(one[0]), "answered": one[1],
                      "resolution_days": days(res[0]), "resolved": res[1]}
    if not overall:
        return found
    found["all"] = {"answer_days": days(answer[0]), "answered": answer[1],
                    "resolution_days": days(resolution[0]), "resolved": resolution[1]}
    return found


def by_partner(period, quartier_ids: list[int]) -> list[list]:
    """Rows [partner, passed on the period, waiting past the target today]."""
    start, end = period.utc_bounds()
    passed = dict(db.session.execute(
        db.select(ContributionUpdate.partner,
                  func.count(func.distinct(ContributionUpdate.contribution_id)))
        .join(Contribution, Contribution.id == ContributionUpdate.contribution_id)
        .where(ContributionUpdate.status == Status.TRANSMITTED, ContributionUpdate.at >= start,
               ContributionUpdate.at < end, Contribution.quartier_id.in_(quartier_ids))
        .group_by(ContributionUpdate.partner)).all())
    # Those still at a partner, each with when it was last passed on: a lookup per
    # contribution in ix_contribution_update_last (a correlated max, one index probe).
    last_passed = (db.select(func.max(ContributionUpdate.at))
                   .where(ContributionUpdate.contribution_id == Contribution.id,
                          ContributionUpdate.status == Status.TRANSMITTED)
                   .scalar_subquery())
    cutoff = clock.utcnow() - timedelta(days=TARGET_DAYS)
    waiting = dict(db.session.execute(
        db.select(Contribution.partner, func.count())
        .where(Contribution.status == Status.TRANSMITTED,
               Contribution.quartier_id.in_(quartier_ids), last_passed < cutoff)
        .group_by(Contribution.partner)).all())
    keys = [k for k in PARTNERS if k in passed or k in waiting]
    keys += sorted(k for k in {*passed, *waiting} if k not in PARTNERS)
    return [[PARTNERS.get(key, key or "—"), int(passed.get(key, 0)), int(waiting.get(key, 0))]
            for key in keys]


def block(period, quartiers) -> Block:
    ids = [q.id for q in quartiers]
    measured = delays(period, ids)
    rows = [[q.name, measured[q.id]["answered"], measured[q.id]["answer_days"],
             measured[q.id]["resolved"], measured[q.id]["resolution_days"]] for q in quartiers]
    every = measured["all"]
    return Block("cadre-de-vie", _l("Cadre de vie"), [
        Table("contributions", _l("Contributions par catégorie"),
              " ".join(str(t) for t in (RECEIVED, PUBLISHED, RESOLVED)),
              [_l("Catégorie"), _l("Reçues"), _l("Publiées"), _l("Refusées"), _l("Résolues")],
              by_category(period, ids), chart_columns=(1, 4)),
        Table("delais", _l("Délais de réponse et de résolution par quartier"),
              " ".join(str(t) for t in (FIRST_ANSWER, RESOLUTION)),
              [_l("Quartier"), _l("Premières réponses"), _l("Délai médian de réponse (jours)"),
               _l("Résolues"), _l("Délai médian de résolution (jours)")], rows,
              chart_columns=(1, 3),
              totals=[every["answered"], every["answer_days"], every["resolved"],
                      every["resolution_days"]]),
        Table("partenaires", _l("Contributions transmises aux partenaires"),
              " ".join(str(t) for t in (TRANSMITTED, WAITING)),
              [_l("Partenaire"), _l("Transmises"), _l("En attente au-delà de l’objectif")],
              by_partner(period, ids), chart_columns=(1, 2)),
    ])
