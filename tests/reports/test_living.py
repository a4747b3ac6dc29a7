"""Cadre de vie figures on the hand-computed March 2026 of conftest.activity: by category,
medians of the delays computed by the database (a report reopened after "résolu" is not
resolved), partners and those waiting past the target."""

from datetime import date

from portal.reports import living
from portal.reports.period import Period

pytest_plugins = ["tests.backoffice_helpers"]


def march():
    return Period("mois", date(2026, 3, 1), date(2026, 3, 31))


def every(quartiers):
    return [quartiers[s].id for s in ("alma", "epeule", "pile", "trois-ponts")]


def test_received_published_rejected_resolved_by_category(activity, quartiers, app):
    with app.test_request_context():
        rows = [[str(r[0]), *r[1:]] for r in living.by_category(march(), every(quartiers))]
    # The reopened report (éclairage) is not resolved; the February one resolved in March is.
    assert rows == [["Propreté", 1, 0, 1, 1], ["Éclairage", 2, 2, 0, 1],
                    ["Voirie et trottoirs", 1, 1, 0, 0], ["Sans catégorie (idées)", 1, 0, 0, 0]]


def test_resolved_per_quartier(activity, quartiers):
    found = living.resolved_by_quartier(march(), every(quartiers))
    assert found[quartiers["alma"].id] == 2 and found[quartiers["pile"].id] == 0


def test_median_delays_per_quartier_and_together(activity, quartiers):
    found = living.delays(march(), every(quartiers))
    # Alma's first answers: 2, 2, 6, 10 days -> 4; resolutions 10 and 13 days -> 11.5.
    assert found[quartiers["alma"].id] == {"answer_days": 4.0, "answered": 4,
                                           "resolution_days": 11.5, "resolved": 2}
    assert found[quartiers["pile"].id] == {"answer_days": 1.0, "answered": 1,
                                           "resolution_days": "—", "resolved": 0}
    # Together: 1, 2, 2, 6, 10 -> 2 (not the median of the medians).
    assert found["all"] == {"answer_days": 2.0, "answered": 5, "resolution_days": 11.5,
                            "resolved": 2}


def test_a_reopened_report_counts_at_its_new_resolution(activity, quartiers, frozen_clock):
    from datetime import datetime

    from portal.clock import PARIS
    from portal.contributions.models import Contribution, Status
    from portal.extensions import db
    from tests.reports.factories import step

    reopened = db.session.scalar(db.select(Contribution).where(
        Contribution.status == Status.IN_PROGRESS))
    step(reopened, Status.RESOLVED, datetime(2026, 3, 18, 10, tzinfo=PARIS))
    found = living.delays(march(), every(quartiers))[quartiers["alma"].id]
    # 10, 13 and now 15 days (3 to 18 March): the median is 13.
    assert found["resolved"] == 3 and found["resolution_days"] == 13.0


def test_partners_passed_and_waiting_past_the_target(activity, quartiers, app):
    with app.test_request_context():
        rows = [[str(r[0]), *r[1:]] for r in living.by_partner(march(), every(quartiers))]
    # mel: passed twice in March to the same partner, once; the January one waits 67 days.
    assert rows == [["la Métropole européenne de Lille", 1, 1],
                    ["la Ville de Roubaix (éclairage)", 1, 0]]
    with app.test_request_context():
        alma_only = living.by_partner(march(), [quartiers["alma"].id])
    assert [r[1:] for r in alma_only] == [[1, 0], [1, 0]]


def test_delays_table_has_the_median_of_all_as_total(activity, quartiers, app):
    with app.test_request_context():
        block = living.block(march(), [quartiers[s] for s in
                                       ("alma", "epeule", "pile", "trois-ponts")])
    delays = next(t for t in block.tables if t.key == "delais")
    assert delays.rows[0] == ["Alma", 4, 4.0, 2, 11.5]
    assert delays.total_row() == ["Total", 5, 2.0, 2, 11.5]
