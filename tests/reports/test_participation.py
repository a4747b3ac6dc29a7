"""Participation figures on the hand-computed March 2026 of conftest.activity: answers by
campaign and channel (a campaign spanning two months, the Paris midnight of the last day),
rendez-vous held with registrations and attendance (a cancelled one with registrations),
and the share of assisted participation."""

from datetime import date

from portal.reports import participation
from portal.reports.period import Period

pytest_plugins = ["tests.backoffice_helpers"]


def march():
    return Period("mois", date(2026, 3, 1), date(2026, 3, 31))


def ids(quartiers, *slugs):
    return [quartiers[s].id for s in slugs or ("alma", "epeule", "pile", "trois-ponts")]


def test_answers_by_campaign_and_channel_count_the_period_only(activity, quartiers):
    # online, paper, phone, Maison Mobile, workshop, total
    assert participation.answers_by_campaign(march(), ids(quartiers)) == [
        ["Parc", 1, 1, 0, 1, 0, 3], ["Écoles", 1, 0, 1, 0, 1, 3], ["Square", 2, 0, 0, 0, 0, 2]]


def test_a_campaign_spanning_two_months_counts_its_answers_in_each(activity, quartiers):
    february = Period("mois", date(2026, 2, 1), date(2026, 2, 28))
    assert participation.answers_by_campaign(february, ids(quartiers)) == [
        ["Parc", 2, 0, 0, 0, 0, 2]]
    both = Period("dates", date(2026, 2, 1), date(2026, 3, 31))
    assert participation.answers_by_campaign(both, ids(quartiers))[0] == [
        "Parc", 3, 1, 0, 1, 0, 5]


def test_answers_per_quartier_count_a_shared_campaign_in_each_once_in_total(activity,
                                                                             quartiers):
    by = participation.answers_by_quartier(march(), ids(quartiers))
    assert by == {quartiers["alma"].id: 6, quartiers["epeule"].id: 2,
                  quartiers["pile"].id: 3, quartiers["trois-ponts"].id: 0}
    assert participation.answers_total(march(), ids(quartiers)) == 8
    assert participation.answers_by_quartier(march(), ids(quartiers, "pile")) == {
        quartiers["pile"].id: 3}


def test_rendez_vous_held_registered_attended(activity, quartiers):
    found = participation.events_by_quartier(march(), ids(quartiers))
    # The cancelled one's 4 people, the coming one's and the pending one's are not counted.
    assert found[quartiers["alma"].id] == {"held": 1, "cancelled": 1, "registered": 3,
                                           "attended": 2, "ratio_attended": 2,
                                           "ratio_registered": 3}
    # No registration at the first, no attendance entered at the second: no ratio.
    assert found[quartiers["pile"].id] == {"held": 2, "cancelled": 0, "registered": 2,
                                           "attended": 15, "ratio_attended": 0,
                                           "ratio_registered": 0}
    assert found[quartiers["epeule"].id]["held"] == 0


def test_assisted_share(activity, quartiers):
    rows = participation.assisted_shares(march(), ids(quartiers))
    assert [row[1:] for row in rows] == [[8, 4, 50.0], [5, 3, 60.0], [5, 2, 40.0]]


def test_the_block_tables_and_totals(activity, quartiers, app):
    with app.test_request_context():
        block = participation.block(march(), [quartiers[s] for s in
                                              ("alma", "epeule", "pile", "trois-ponts")])
    tables = {t.key: t for t in block.tables}
    assert tables["reponses"].total_row() == ["Total", 4, 1, 1, 1, 1, 8]
    assert tables["reponses-par-quartier"].total_row() == ["Total", 8]
    assert tables["rendez-vous"].rows[0] == ["Alma", 1, 1, 3, 2, 66.7]
    assert tables["rendez-vous"].rows[2] == ["Pile", 2, 0, 2, 15, "—"]
    assert tables["rendez-vous"].total_row() == ["Total", 3, 1, 5, 17, 66.7]
    assert tables["accompagnement"].total_row() == ["Total", 18, 9, 50.0]


def test_nothing_on_the_period_gives_zeros_and_no_ratio(activity, quartiers, app):
    empty = Period("mois", date(2025, 3, 1), date(2025, 3, 31))
    assert participation.answers_by_campaign(empty, ids(quartiers)) == []
    assert [r[1:] for r in participation.assisted_shares(empty, ids(quartiers))] == [
        [0, 0, "—"]] * 3
