"""Recurrence of mobile-house visits: DST, EXDATE, holidays, cancellation, one-off."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pytest

from portal import calendar
from portal.mobile_house import recurrence


@dataclass
class Holiday:
    first_day: date
    last_day: date


@dataclass
class Cancellation:
    occurs_on: date
    reason: str = "Intempéries"


@dataclass
class Visit:
    slug: str = "alma-mardi"
    place_name: str = "Place de la Nation"
    address: str = "Place de la Nation, 59100 Roubaix"
    latitude: float | None = 50.6990
    longitude: float | None = 3.1680
    starts_on: date = date(2027, 3, 1)
    ends_on: date = date(2027, 4, 30)
    start_time: time = time(14, 0)
    end_time: time = time(17, 0)
    rrule: str | None = "FREQ=WEEKLY;BYDAY=TU"
    exception_dates: list = field(default_factory=list)
    skip_school_holidays: bool = False
    cancellations: list = field(default_factory=list)
    updated_at: datetime = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def starts(occs):
    return [o.start for o in occs]


def test_weekly_visit_keeps_wall_clock_time_across_spring_dst():
    occs = recurrence.expand_visits([Visit()], [], date(2027, 3, 20), date(2027, 4, 5))
    # 28 March 2027 is the last Sunday of March: clocks go forward.
    assert [o.start.isoformat() for o in occs] == [
        "2027-03-23T14:00:00+01:00",
        "2027-03-30T14:00:00+02:00",
    ]
    assert all(o.end.hour == 17 for o in occs)


def test_weekly_visit_keeps_wall_clock_time_across_autumn_dst():
    visit = Visit(starts_on=date(2026, 10, 1), ends_on=date(2026, 11, 15), rrule="FREQ=WEEKLY;BYDAY=SA")
    occs = recurrence.expand_visits([visit], [], date(2026, 10, 20), date(2026, 11, 3))
    # 25 October 2026 is the last Sunday of October: clocks go back.
    assert [o.start.isoformat() for o in occs] == [
        "2026-10-24T14:00:00+02:00",
        "2026-10-31T14:00:00+01:00",
    ]
    assert [o.start.astimezone(UTC).hour for o in occs] == [12, 13]


def test_exception_date_is_written_as_exdate_and_skipped():
    visit = Visit(exception_dates=["2027-03-16"])
    events = recurrence.visit_events(visit, [])
    assert events[0].exdates == [datetime(2027, 3, 16, 14, tzinfo=calendar.PARIS)]
    days = [o.day for o in recurrence.expand_visits([visit], [], date(2027, 3, 8), date(2027, 3, 25))]
    assert days == [date(2027, 3, 9), date(2027, 3, 23)]


def test_exception_on_first_day_removes_it():
    visit = Visit(exception_dates=[date(2027, 3, 2)])
    days = [o.day for o in recurrence.expand_visits([visit], [], date(2027, 3, 1), date(2027, 3, 10))]
    assert days == [date(2027, 3, 9)]


def test_school_holidays_skipped_only_when_asked():
    spring = [Holiday(date(2027, 4, 17), date(2027, 5, 2))]
    window = (date(2027, 4, 12), date(2027, 5, 1))
    kept = recurrence.expand_visits([Visit()], spring, *window)
    assert [o.day for o in kept] == [date(2027, 4, 13), date(2027, 4, 20), date(2027, 4, 27)]
    skipped = recurrence.expand_visits([Visit(skip_school_holidays=True)], spring, *window)
    assert [o.day for o in skipped] == [date(2027, 4, 13)]


def test_cancelled_occurrence_stays_listed_with_reason():
    visit = Visit(cancellations=[Cancellation(date(2027, 3, 9), "Marché de Noël")])
    occs = recurrence.expand_visits([visit], [], date(2027, 3, 1), date(2027, 3, 17))
    assert [(o.day, o.cancelled, o.reason) for o in occs] == [
        (date(2027, 3, 2), False, None),
        (date(2027, 3, 9), True, "Marché de Noël"),
        (date(2027, 3, 16), False, None),
    ]
    # One UID for the whole series: a subscribed calendar updates, never duplicates.
    assert {o.uid for o in occs} == {"maison-mobile-alma-mardi@" + recurrence.UID_DOMAIN}
    override = recurrence.visit_events(visit, [])[1]
    assert override.recurrence_id == datetime(2027, 3, 9, 14, tzinfo=calendar.PARIS)
    assert override.status == "CANCELLED"


def test_one_off_visit_and_its_cancellation():
    one = Visit(slug="pile-forum", rrule=None, starts_on=date(2026, 11, 28), ends_on=date(2026, 11, 28),
                start_time=time(10), end_time=time(12, 30))
    occs = recurrence.expand_visits([one], [], date(2026, 11, 1), date(2026, 12, 31))
    assert [(o.start.isoformat(), o.end.isoformat(), o.cancelled) for o in occs] == [
        ("2026-11-28T10:00:00+01:00", "2026-11-28T12:30:00+01:00", False)
    ]
    one.cancellations = [Cancellation(date(2026, 11, 28))]
    occs = recurrence.expand_visits([one], [], date(2026, 11, 1), date(2026, 12, 31))
    assert occs[0].cancelled and occs[0].reason == "Intempéries"


def test_series_stops_on_its_last_day_including_it():
    visit = Visit(starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 15))
    days = [o.day for o in recurrence.expand_visits([visit], [], date(2027, 5, 1), date(2027, 8, 1))]
    assert days == [date(2027, 6, 1), date(2027, 6, 8), date(2027, 6, 15)]


def test_rrule_until_is_utc_end_of_last_day():
    assert recurrence.rrule_with_until(Visit(ends_on=date(2027, 7, 3))) == (
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270703T215959Z"
    )


@pytest.mark.parametrize("bad", [
    "", "BYDAY=TU", "FREQ=SOMETIMES", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;COUNT=3",
    "FREQ=WEEKLY;UNTIL=20270101",
    "FREQ=WEEKLY;INTERVAL=0;BYDAY=SA",  # parses, then dateutil fails on every page
    "FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=HOURLY",  # thousands of visits a day
    "FREQ=DAILY;BYHOUR=9,10,11", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",  # never happens
    "FREQ=WEEKLY;INTERVAL=x",
])
def test_bad_rrules_are_refused(bad):
    with pytest.raises(ValueError):
        calendar.parse_rrule(bad)


def test_rrule_is_normalised():
    assert calendar.parse_rrule("RRULE:freq=weekly;interval=2;byday=th") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"


def test_feed_has_vtimezone_first_and_rfc7986_properties():
    visit = Visit(cancellations=[Cancellation(date(2027, 3, 9))])
    cal = calendar.build_calendar(
        recurrence.visit_events(visit, [], url="https://example.org/maison-du-projet/"),
        name="Maison Mobile", url="https://example.org/maison-du-projet/",
    )
    text = calendar.to_ics(cal).decode()
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "TZID:Europe/Paris" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in text
    assert "NAME:Maison Mobile" in text and "X-WR-CALNAME:Maison Mobile" in text
    assert "RECURRENCE-ID;TZID=Europe/Paris:20270309T140000" in text
    assert "STATUS:CANCELLED" in text
    assert "GEO:50.699;3.168" in text


def test_feed_parses_with_vobject_and_matches_expansion():
    vobject = pytest.importorskip("vobject")
    visit = Visit(exception_dates=["2027-03-16"], skip_school_holidays=True,
                  cancellations=[Cancellation(date(2027, 3, 23))])
    holidays = [Holiday(date(2027, 4, 17), date(2027, 5, 2))]
    ics = calendar.to_ics(calendar.build_calendar(recurrence.visit_events(visit, holidays), name="x"))
    parsed = vobject.readOne(ics.decode())
    master = next(v for v in parsed.vevent_list if not hasattr(v, "recurrence_id"))
    seen = list(master.getrruleset(addRDate=True))
    expected = recurrence.expand_visits([visit], holidays, date(2027, 1, 1), date(2028, 1, 1))
    assert seen == [o.start for o in expected]
    overrides = [v for v in parsed.vevent_list if hasattr(v, "recurrence_id")]
    assert [(v.recurrence_id.value, v.status.value) for v in overrides] == [
        (datetime(2027, 3, 23, 14, tzinfo=calendar.PARIS), "CANCELLED")
    ]


def test_description_ends_with_link_back():
    assert calendar.with_link("Relogement", "https://x/y", "Détails :") == "Relogement\n\nDétails : https://x/y"
    assert calendar.webcal_url("https://x/y.ics") == "webcal://x/y.ics"


@pytest.mark.parametrize("rrule, last", [
    ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20280701T215959Z", date(2028, 7, 1)),
    ("FREQ=WEEKLY;COUNT=3", date(2026, 9, 15)),
    (None, date(2026, 9, 1)),
])
def test_last_day_of_an_event_follows_its_rule(rrule, last):
    start = datetime(2026, 9, 1, 14, tzinfo=calendar.PARIS)
    event = calendar.CalendarEvent(uid="x", summary="x", start=start, end=start.replace(hour=17),
                                   stamp=start, rrule=rrule)
    assert calendar.last_day(event) == last
