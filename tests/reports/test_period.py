"""The period of a bilan: month, quarter, year, two dates; bad input gives the current month
and a message, never an error page."""

from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from portal.clock import PARIS
from portal.reports.period import parse_period


@pytest.fixture(autouse=True)
def _now(app, frozen_clock):
    frozen_clock(datetime(2026, 3, 31, 23, 30, tzinfo=PARIS))
    with app.test_request_context():
        yield


def period(**args):
    return parse_period(MultiDict(args))


def test_no_period_is_the_current_paris_month():
    # 21:30 UTC: still 31 March in Roubaix.
    p = period()
    assert (p.kind, p.first, p.last, p.errors) == ("mois", date(2026, 3, 1), date(2026, 3, 31), [])


def test_month_quarter_year_and_dates():
    assert (period(mois="2026-02").first, period(mois="2026-02").last) == (
        date(2026, 2, 1), date(2026, 2, 28))
    q = period(trimestre="2026-T4")
    assert (q.first, q.last) == (date(2026, 10, 1), date(2026, 12, 31))
    y = period(annee="2025")
    assert (y.first, y.last, y.days) == (date(2025, 1, 1), date(2025, 12, 31), 365)
    d = period(du="2026-01-15", au="2026-01-15")
    assert (d.first, d.last, d.days) == (date(2026, 1, 15), date(2026, 1, 15), 1)


def test_bounds_are_paris_midnights_across_daylight_saving():
    start, end = period(mois="2026-03").utc_bounds()
    assert start == datetime(2026, 2, 28, 23, tzinfo=UTC)  # winter: UTC+1
    assert end == datetime(2026, 3, 31, 22, tzinfo=UTC)  # summer time from 29 March: UTC+2


@pytest.mark.parametrize("args", [
    {"du": "2026-02-10", "au": "2026-02-01"}, {"du": "2026-02-30", "au": "2026-03-01"},
    {"du": "hier", "au": ""}, {"mois": "2026-13"}, {"mois": "x" * 5000},
    {"trimestre": "2026-T5"}, {"annee": "99999"}, {"annee": "1789"},
    {"du": "2000-01-01", "au": "2026-01-01"}, {"du": "9999-12-31", "au": "9999-12-31"},
])
def test_bad_periods_give_the_current_month_with_a_message(args):
    p = period(**args)
    assert (p.first, p.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert p.errors


def test_months_of_a_period():
    assert period(du="2026-01-31", au="2026-03-01").months() == [
        date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
