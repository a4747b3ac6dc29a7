"""Each figure of the bilans on the hand-computed set of conftest.py, and on generated rows
against a plain Python count."""

import random
from collections import Counter
from datetime import date, timedelta

from werkzeug.datastructures import MultiDict

from portal.reports import information, mobile_house, pageviews
from portal.reports.period import Period, parse_period
from tests.reports.factories import receive, views

pytest_plugins = ["tests.backoffice_helpers"]


def march_2026():
    return Period("mois", date(2026, 3, 1), date(2026, 3, 31))


def test_passages_planned_held_cancelled_and_people_received(march, quartiers):
    counts = mobile_house.passages(march_2026(), [quartiers["alma"].id, quartiers["pile"].id])
    # Alma: 4, 11 (cancelled), 18 and 25 March (still to come on the 20th).
    assert counts[quartiers["alma"].id] == {"planned": 4, "held": 2, "cancelled": 1,
                                            "received": 20}
    assert counts[quartiers["pile"].id] == {"planned": 1, "held": 1, "cancelled": 0,
                                            "received": 3}


def test_a_quarter_spans_the_months(march, quartiers):
    q = Period("trimestre", date(2026, 1, 1), date(2026, 3, 31))
    counts = mobile_house.passages(q, [quartiers["alma"].id])[quartiers["alma"].id]
    assert counts == {"planned": 12, "held": 9, "cancelled": 2, "received": 25}


def test_cancellation_reasons_are_counted_per_reason(march, quartiers):
    ids = [quartiers["alma"].id, quartiers["pile"].id]
    assert mobile_house.cancellation_reasons(march_2026(), ids) == [["Camion en panne", 1]]
    whole = Period("annee", date(2026, 1, 1), date(2026, 12, 31))
    assert sorted(mobile_house.cancellation_reasons(whole, ids)) == [
        ["Camion en panne", 1], ["Neige", 1]]


def test_only_the_asked_quartiers_are_counted(march, quartiers):
    counts = mobile_house.passages(march_2026(), [quartiers["pile"].id])
    assert list(counts) == [quartiers["pile"].id]
    assert mobile_house.cancellation_reasons(march_2026(), [quartiers["pile"].id]) == []


def test_people_received_equal_a_python_count_of_generated_rows(quartiers, frozen_clock):
    from datetime import datetime

    from portal.clock import PARIS
    from tests.mobile_house.factories import make_visit

    frozen_clock(datetime(2026, 12, 31, 12, tzinfo=PARIS))
    rng = random.Random(18)
    visit = make_visit(quartiers["alma"], slug="daily", starts_on=date(2026, 1, 1),
                       ends_on=date(2026, 12, 31), rrule="FREQ=DAILY")
    rows = {}
    for offset in rng.sample(range(365), 120):
        day = date(2026, 1, 1) + timedelta(days=offset)
        rows[day] = rng.randint(0, 40)
        receive(visit, day, rows[day])
    for month in (1, 6, 12):
        with_args = parse_period(MultiDict({"mois": f"2026-{month:02d}"}))
        expected = sum(n for day, n in rows.items() if day.month == month)
        found = mobile_house.passages(with_args, [quartiers["alma"].id])[quartiers["alma"].id]
        assert found["received"] == expected
        assert found["planned"] == found["held"] == with_args.days


def test_page_views_by_page_and_month(db):
    views(date(2026, 2, 28), "/", 5)
    views(date(2026, 3, 1), "/", 7)
    views(date(2026, 3, 1), "/maison-du-projet/", 2)
    views(date(2026, 3, 31), "/maison-du-projet/", 4)
    views(date(2026, 4, 1), "/", 100)
    assert information.views_by_page(march_2026()) == [["/", 7], ["/maison-du-projet/", 6]]
    q = Period("dates", date(2026, 2, 1), date(2026, 3, 31))
    assert information.views_by_month(q) == [["2026-02", 5], ["2026-03", 13]]


def test_most_read_pages_kept_in_memory_follow_new_views(app, db):
    app.config["REPORTS_PAGE_VIEWS_CACHE"] = True  # off in tests; restored after this one
    views(date(2026, 3, 1), "/", 7)
    views(date(2026, 3, 2), "/chantiers/", 5)
    assert information.views_by_page(march_2026()) == [["/", 7], ["/chantiers/", 5]]
    assert information.views_by_page(march_2026()) == [["/", 7], ["/chantiers/", 5]]
    pageviews.upsert(Counter({(date(2026, 3, 2), "/chantiers/"): 3}))  # a flush in the period
    assert information.views_by_page(march_2026()) == [["/chantiers/", 8], ["/", 7]]
    views(date(2026, 3, 31), "/maison-du-projet/", 1)  # a new page on the last day
    assert information.views_by_page(march_2026(), limit=3)[-1] == ["/maison-du-projet/", 1]
    assert information.views_by_month(march_2026()) == [["2026-03", 16]]
