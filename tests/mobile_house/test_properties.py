"""Properties of the Maison Mobile recurrence, checked by Hypothesis on generated plans.

Each property compares the code with an independent reading of the same plan: the planned
days are computed here from the rule's meaning (weekdays, week numbers, n-th weekday of the
month), not with dateutil; the feeds are read back with vobject, not recurring-ical-events;
the summer time offsets come from the EU rule (last Sundays of March and October), not from
zoneinfo. The settings profile (tests/conftest.py) keeps them quick and derandomized in CI.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject
from dateutil import tz
from flask_babel import force_locale
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from portal import calendar, clock
from portal.calendar import PARIS
from portal.extensions import db
from portal.mobile_house import recurrence
from portal.mobile_house.models import SchoolHoliday, Visit, VisitCancellation
from portal.mobile_house.summary import build_rule, describe, parse_simple_rule
from tests.backoffice_helpers import form_values
from tests.mobile_house.factories import make_visit

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The db fixture is one per test, not one per example: each example clears what it writes.
WITH_DB = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                           HealthCheck.too_slow])


# Plain stand-ins for the rows: the recurrence reads attributes only.
@dataclass
class Holiday:
    first_day: date
    last_day: date


@dataclass
class Cancellation:
    occurs_on: date
    reason: str = "Camion en panne"
    updated_at: datetime | None = None


@dataclass
class PlainVisit:
    slug: str
    starts_on: date
    ends_on: date
    start_time: time
    end_time: time
    rrule: str | None
    exception_dates: list = field(default_factory=list)
    skip_school_holidays: bool = False
    cancellations: list = field(default_factory=list)
    place_name: str = "Place de la Nation"
    address: str = "Place de la Nation, 59100 Roubaix"
    latitude: float | None = 50.699
    longitude: float | None = 3.168
    updated_at: datetime = datetime(2026, 11, 1, 8, tzinfo=UTC)


# Rules, with their meaning spelt out apart from the RRULE text.
@dataclass(frozen=True)
class Rule:
    kind: str  # once, daily, weekly, monthly-weekday, monthly-day
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    wkst: str | None = None  # written in the rule when set; Monday otherwise (RFC 5545)
    ordinals: tuple[tuple[int, str], ...] = ()  # (1, "TU"): first Tuesday; (-1, "FR"): last
    month_days: tuple[int, ...] = ()  # 15, or -1 for the last day

    @property
    def text(self) -> str | None:
        if self.kind == "once":
            return None
        if self.kind == "daily":
            return "FREQ=DAILY"
        if self.kind == "weekly":
            parts = ["FREQ=WEEKLY"]
            if self.interval != 1:
                parts.append(f"INTERVAL={self.interval}")
            parts.append("BYDAY=" + ",".join(self.weekdays))
            if self.wkst:
                parts.append(f"WKST={self.wkst}")
            return ";".join(parts)
        if self.kind == "monthly-weekday":
            return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{d}" for n, d in self.ordinals)
        return "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(map(str, self.month_days))

    def matches(self, day: date, first: date) -> bool:
        """Whether `day` is in the series that starts on `first`."""
        name = WEEKDAYS[day.weekday()]
        if self.kind == "daily":
            return True
        if self.kind == "weekly":
            start = WEEKDAYS.index(self.wkst or "MO")

            def week_start(d):
                return d - timedelta(days=(d.weekday() - start) % 7)

            weeks = (week_start(day) - week_start(first)).days // 7
            return name in self.weekdays and weeks % self.interval == 0
        if self.kind == "monthly-weekday":
            month_end = next_month(day) - timedelta(days=1)
            from_start = (day.day - 1) // 7 + 1
            from_end = -((month_end.day - day.day) // 7 + 1)
            return any(d == name and n in (from_start, from_end) for n, d in self.ordinals)
        last_of_month = next_month(day) - timedelta(days=1)
        return any(day.day == n or (n == -1 and day == last_of_month) for n in self.month_days)

    def days(self, first: date, last: date) -> list[date]:
        if self.kind == "once":
            return [first]
        span = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [d for d in span if self.matches(d, first)]


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def some_weekdays():
    return st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True).map(
        lambda days: tuple(sorted(days, key=WEEKDAYS.index)))


rules = st.one_of(
    st.just(Rule("once")),
    st.just(Rule("daily")),
    st.builds(Rule, kind=st.just("weekly"), interval=st.integers(1, 3), weekdays=some_weekdays(),
              wkst=st.one_of(st.none(), st.sampled_from(WEEKDAYS))),
    st.builds(Rule, kind=st.just("monthly-weekday"), ordinals=st.lists(
        st.tuples(st.sampled_from([1, 2, 3, 4, -1]), st.sampled_from(WEEKDAYS)),
        min_size=1, max_size=3, unique=True).map(tuple)),
    st.builds(Rule, kind=st.just("monthly-day"), month_days=st.lists(
        st.sampled_from([1, 2, 10, 15, 28, 29, 30, 31, -1]), min_size=1, max_size=3,
        unique=True).map(tuple)),
)


@st.composite
def hours(draw):
    """A visit between 6:00 and 23:00: no time in the hour a DST change skips or repeats."""
    start = draw(st.integers(6 * 4, 21 * 4)) * 15
    end = start + draw(st.integers(1, min(32, (23 * 60 - start) // 15))) * 15
    return time(start // 60, start % 60), time(end // 60, end % 60)


YEAR_OR_SO = st.integers(0, 400)  # days from the first to the last day of a series


@dataclass
class Plan:
    visit: PlainVisit
    rule: Rule
    holidays: list

    @property
    def planned(self) -> list[date]:
        return self.rule.days(self.visit.starts_on, self.visit.ends_on)

    def expected(self) -> list[tuple[date, bool]]:
        """(day, cancelled) of what residents see: planned days minus exception dates and,
        when the series skips them, school holidays; a one-off happens on its day."""
        visit = self.visit
        excepted = {date.fromisoformat(d) for d in visit.exception_dates}
        cancelled = {c.occurs_on for c in visit.cancellations}

        def excluded(day):
            if visit.rrule is None:
                return False
            in_holiday = any(h.first_day <= day <= h.last_day for h in self.holidays)
            return day in excepted or (visit.skip_school_holidays and in_holiday)

        return [(d, d in cancelled) for d in self.planned if not excluded(d)]


@st.composite
def plans(draw, slug="visite", first_days=None, lengths=YEAR_OR_SO):
    rule = draw(rules)
    first = draw(st.dates(date(2026, 1, 1), date(2029, 12, 31)) if first_days is None
                 else first_days)
    last = first if rule.kind == "once" else first + timedelta(days=draw(lengths))
    start_time, end_time = draw(hours())
    planned = rule.days(first, last)
    near = st.dates(first - timedelta(days=10), last + timedelta(days=10))
    exceptions = []
    if rule.kind != "once":  # the back office keeps no exception date for a one-off
        exceptions = draw(st.lists(st.sampled_from(planned) | near, max_size=4, unique=True)
                          if planned else st.lists(near, max_size=2, unique=True))
    cancelled = draw(st.lists(st.sampled_from(planned), max_size=3, unique=True)
                     if planned else st.just([]))
    holidays = draw(st.lists(st.builds(
        lambda day, length: Holiday(day, day + timedelta(days=length)),
        st.dates(first - timedelta(days=20), last), st.integers(0, 16)), max_size=3,
        unique_by=lambda h: h.first_day))  # as school_holiday's unique (zone, first_day)
    visit = PlainVisit(
        slug=slug, starts_on=first, ends_on=last, start_time=start_time, end_time=end_time,
        rrule=rule.text, exception_dates=sorted(d.isoformat() for d in exceptions),
        skip_school_holidays=draw(st.booleans()),
        cancellations=[Cancellation(d, f"Raison {d}") for d in sorted(cancelled)],
    )
    return Plan(visit, rule, holidays)


def expand_all(plan: Plan):
    visit = plan.visit
    return recurrence.expand_visits([visit], plan.holidays, visit.starts_on,
                                    visit.ends_on + timedelta(days=1))


# Occurrences equal planned dates minus exclusions.

@given(rules)
def test_generated_rules_are_valid_and_normalised(rule):
    if rule.text is not None:
        assert calendar.parse_rrule(rule.text.lower()) == rule.text


@given(plans())
def test_occurrences_are_the_planned_days_minus_exclusions(plan):
    starts = recurrence.planned_starts(plan.visit)
    assert [s.date() for s in starts] == plan.planned
    occurrences = expand_all(plan)
    assert [(o.day, o.cancelled) for o in occurrences] == plan.expected()
    reasons = {c.occurs_on: c.reason for c in plan.visit.cancellations}
    assert all(o.reason == reasons[o.day] for o in occurrences if o.cancelled)


@given(plans(), st.integers(-5, 400), st.integers(0, 60))
def test_a_window_shows_the_occurrences_it_covers(plan, offset, width):
    """Pages expand a few weeks at a time: a window holds the same occurrences as the whole
    series does between its bounds."""
    start = plan.visit.starts_on + timedelta(days=offset)
    end = start + timedelta(days=width)
    window = recurrence.expand_visits([plan.visit], plan.holidays, start, end)
    assert window == [o for o in expand_all(plan) if start <= o.day < end]


# The iCal feed read by another library gives the page's occurrences.

def use_zoneinfo_in_vobject() -> None:
    """vobject 0.9.9 reads only the first date of a multi-valued RDATE in a VTIMEZONE (RFC
    5545 allows `RDATE:a,b,c`, which icalendar writes), and keeps the first VTIMEZONE it read
    for a TZID for the rest of the process: let it expand the rules, with Europe/Paris from
    zoneinfo. The feed's own VTIMEZONE is checked apart, with dateutil (feed_zone)."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry["Europe/Paris"] = PARIS


def feed_zone(ics: bytes):
    """Europe/Paris as the feed's VTIMEZONE describes it, read by dateutil's tzical."""
    text = ics.decode()
    block = text[text.index("BEGIN:VTIMEZONE"):text.index("END:VTIMEZONE") + len("END:VTIMEZONE")]
    return tz.tzical(io.StringIO(block.replace("\r\n ", ""))).get("Europe/Paris")


def read_feed(ics: bytes | str) -> dict:
    """{(uid, start): (end, status)} of every instance, read with vobject (dateutil), with
    overrides (RECURRENCE-ID) replacing the instance they name."""
    use_zoneinfo_in_vobject()
    cal = vobject.readOne(ics.decode() if isinstance(ics, bytes) else ics)
    found, overrides = {}, {}
    for ev in getattr(cal, "vevent_list", []):
        status = ev.status.value if hasattr(ev, "status") else "CONFIRMED"
        duration = ev.dtend.value - ev.dtstart.value
        if hasattr(ev, "recurrence_id"):
            overrides[(ev.uid.value, ev.recurrence_id.value)] = (ev.dtend.value, status)
            continue
        starts = ev.getrruleset(addRDate=True) if hasattr(ev, "rrule") else [ev.dtstart.value]
        for start in starts:
            found[(ev.uid.value, start)] = (start + duration, status)
    for key, value in overrides.items():
        if key in found:
            found[key] = value
    return found


def occurrence_keys(occurrences) -> dict:
    return {(o.uid, o.start): (o.end, "CANCELLED" if o.cancelled else "CONFIRMED")
            for o in occurrences}


@st.composite
def schedules(draw):
    """One to three visits, as one calendar holds them."""
    count = draw(st.integers(1, 3))
    return [draw(plans(slug=f"visite-{n}")) for n in range(count)]


@given(schedules())
def test_the_feed_read_by_vobject_gives_the_same_occurrences(schedule):
    holidays = [h for plan in schedule for h in plan.holidays]
    events = []
    for plan in schedule:
        events += recurrence.visit_events(plan.visit, holidays)
    ics = calendar.to_ics(calendar.build_calendar(events, name="Maison Mobile"))
    first = min(plan.visit.starts_on for plan in schedule)
    last = max(plan.visit.ends_on for plan in schedule) + timedelta(days=1)
    shown = recurrence.expand_visits([plan.visit for plan in schedule], holidays, first, last)
    assert read_feed(ics) == occurrence_keys(shown)


# find_occurrence(day) succeeds exactly on the expanded days.

@given(plans(lengths=st.integers(0, 120)), st.data())
def test_find_occurrence_succeeds_exactly_on_expanded_days(plan, data):
    visit = plan.visit
    by_day = {o.day: o for o in expand_all(plan)}
    around = st.dates(visit.starts_on - timedelta(days=3), visit.ends_on + timedelta(days=3))
    days = data.draw(st.lists(around, max_size=8)) + list(by_day)[:4]
    days += [date.fromisoformat(d) for d in visit.exception_dates]
    for day in days:
        assert recurrence.find_occurrence(visit, plan.holidays, day) == by_day.get(day)


# Across daylight-saving changes: same wall-clock time, another UTC offset.

def last_sunday(year: int, month: int) -> date:
    day = next_month(date(year, month, 1)) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def paris_offset(day: date) -> timedelta:
    """UTC+2 from the last Sunday of March to the day before the last Sunday of October (for
    a time after 3:00), UTC+1 otherwise: the EU rule, written out."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return timedelta(hours=2 if summer else 1)


@st.composite
def change_days(draw):
    """A first day up to eight weeks before one of the changes of 2026-2030."""
    change = last_sunday(draw(st.integers(2026, 2030)), draw(st.sampled_from([3, 10])))
    return change - timedelta(days=draw(st.integers(0, 56)))


@given(plans(first_days=change_days(), lengths=st.integers(14, 120)))
def test_wall_clock_times_hold_across_dst_and_offsets_follow_the_eu_rule(plan):
    visit = plan.visit
    occurrences = expand_all(plan)
    for o in occurrences:
        assert (o.start.time(), o.end.time()) == (visit.start_time, visit.end_time)
        assert o.start.utcoffset() == o.end.utcoffset() == paris_offset(o.day)
        assert o.start.astimezone(UTC) == (datetime.combine(o.day, visit.start_time)
                                           - paris_offset(o.day)).replace(tzinfo=UTC)
    ics = calendar.to_ics(calendar.build_calendar(
        recurrence.visit_events(visit, plan.holidays), name="x"))
    for (_uid, start), (end, _status) in read_feed(ics).items():
        local_start, local_end = start.astimezone(PARIS), end.astimezone(PARIS)
        assert (local_start.time(), local_end.time()) == (visit.start_time, visit.end_time)
    # What a calendar app reads from the feed's VTIMEZONE: the same offsets.
    zone = feed_zone(ics) if occurrences else None
    for o in occurrences:
        wall = datetime.combine(o.day, visit.start_time, tzinfo=zone)
        assert wall.utcoffset() == paris_offset(o.day)


# Rules round-trip through the back-office form and its summary.

@given(st.sampled_from(["once", "weekly", "biweekly"]), some_weekdays())
def test_form_fields_give_a_rule_that_gives_the_fields_back(kind, weekdays):
    rule = build_rule(kind, list(weekdays), None)
    assert parse_simple_rule(rule) == (kind, list(weekdays) if kind != "once" else [])
    if rule:
        assert calendar.parse_rrule(rule) == rule


def edit_form_rule(rrule: str | None) -> str | None:
    """The rule saved when the edit form is sent back unchanged (see admin.edit)."""
    kind, days = parse_simple_rule(rrule)
    return build_rule(kind, days, rrule if kind == "custom" else None)


def week_start_plan() -> Plan:
    """Found by the property below: the edit form dropped WKST, and 5 January 2026 moved to
    the other week of an every-other-Monday series."""
    rule = Rule("weekly", interval=2, weekdays=("MO",), wkst="TU")
    visit = PlainVisit(slug="visite", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31),
                       start_time=time(14), end_time=time(17), rrule=rule.text)
    return Plan(visit, rule, [])


@given(plans(lengths=st.integers(0, 200)))
@example(week_start_plan())
def test_editing_without_change_keeps_the_planned_days(plan):
    visit = plan.visit
    rebuilt = edit_form_rule(visit.rrule)
    again = PlainVisit(slug=visit.slug, starts_on=visit.starts_on, ends_on=visit.ends_on,
                       start_time=visit.start_time, end_time=visit.end_time, rrule=rebuilt)
    assert [s.date() for s in recurrence.planned_starts(again)] == plan.planned


@given(plans(lengths=st.integers(0, 400)))
@example(week_start_plan())
def test_summary_of_the_saved_rule_is_the_summary_of_the_form(app, plan):
    visit = plan.visit
    with app.test_request_context("/"), force_locale("fr"):
        text = describe(visit)
        rebuilt = PlainVisit(**{**visit.__dict__, "rrule": edit_form_rule(visit.rrule)})
        assert describe(rebuilt) == text
    kind, days = parse_simple_rule(visit.rrule)
    if kind in ("weekly", "biweekly") and len(days) < 7:
        plural = {"MO": "lundis", "TU": "mardis", "WE": "mercredis", "TH": "jeudis",
                  "FR": "vendredis", "SA": "samedis", "SU": "dimanches"}
        named = days if kind == "weekly" or len(days) > 1 else []
        assert all(plural[d] in text for d in named), text
    # Only what has no wording is shown raw: every generated rule has one but every third week.
    raw = plan.rule.kind == "weekly" and (plan.rule.interval == 3 or (
        plan.rule.interval == 2 and (plan.rule.wkst or "MO") != "MO"))
    assert text.startswith("selon la règle") == raw, text


@pytest.fixture
def clean_schedule(db):
    def clear():
        db.session.rollback()
        for model in (VisitCancellation, Visit, SchoolHoliday):
            db.session.execute(delete(model))
        db.session.commit()
    return clear


def store(plan: Plan, quartier, **fields) -> Visit:
    visit = plan.visit
    row = make_visit(
        quartier, visit.slug, starts_on=visit.starts_on, ends_on=visit.ends_on,
        start_time=visit.start_time, end_time=visit.end_time, rrule=visit.rrule,
        exception_dates=list(visit.exception_dates),
        skip_school_holidays=visit.skip_school_holidays, **fields)
    for c in visit.cancellations:
        db.session.add(VisitCancellation(visit=row, occurs_on=c.occurs_on, reason=c.reason,
                                         translations={}))
    for h in plan.holidays:
        db.session.add(SchoolHoliday(zone="B", label="Vacances", first_day=h.first_day,
                                     last_day=h.last_day))
    db.session.commit()
    return row


@WITH_DB
@given(plan=plans(lengths=st.integers(0, 200)))
@example(plan=week_start_plan())
def test_the_edit_page_sent_back_unchanged_keeps_the_schedule(project_client, quartiers,
                                                              clean_schedule, plan):
    clean_schedule()
    row = store(plan, quartiers["alma"])
    before = recurrence.planned_starts(row), list(row.exception_dates), row.skip_school_holidays
    url = f"/admin/maison-du-projet/{row.id}"
    sent = form_values(project_client.get(url).get_data(as_text=True))
    sent.pop("preview", None)
    response = project_client.post(url, data={**sent, "submit": "Enregistrer"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    row = db.session.get(Visit, row.id)
    assert (recurrence.planned_starts(row), list(row.exception_dates),
            row.skip_school_holidays) == before


# The feeds served by the portal (all quartiers and per quartier) and the page agree.

def page_cards(html: str) -> set:
    """(visit slug, day, cancelled) of each card on the schedule page."""
    cards = re.findall(
        r'<li class="card visit( visit-cancelled)?" id="visite-(.+?)-(\d{4}-\d\d-\d\d)"', html)
    return {(slug, date.fromisoformat(day), bool(cancelled)) for cancelled, slug, day in cards}


def feed_cards(ics: str, now: datetime) -> set:
    """The cards the page should show, from the feed: instances of its first week (today
    and views.WEEK_DAYS - 1 days ahead) that are not over."""
    last = now.date() + timedelta(days=queries_page_days() + 1)
    return {
        (uid.split("@")[0].removeprefix("maison-mobile-"), start.astimezone(PARIS).date(),
         status == "CANCELLED")
        for (uid, start), (end, status) in read_feed(ics).items()
        if now.date() <= start.astimezone(PARIS).date() < last and end > now
    }


def queries_page_days() -> int:
    from portal.mobile_house.views import WEEK_DAYS

    return WEEK_DAYS - 1


@st.composite
def portal_schedules(draw):
    """A clock, and one to three visits around it, in Alma or Pile."""
    now = datetime.combine(draw(st.dates(date(2026, 1, 1), date(2029, 12, 31))),
                           draw(st.sampled_from([time(0, 5), time(10), time(15, 30)])),
                           tzinfo=PARIS)
    near = st.dates(now.date() - timedelta(days=60), now.date() + timedelta(days=20))
    count = draw(st.integers(1, 3))
    visits = [(draw(plans(slug=f"visite-{n}", first_days=near, lengths=st.integers(0, 120))),
               draw(st.sampled_from(["alma", "pile"]))) for n in range(count)]
    return now, visits


@WITH_DB
@given(schedule=portal_schedules())
def test_served_feeds_give_the_pages_occurrences(client, quartiers, clean_schedule,
                                                 monkeypatch, schedule):
    now, visits = schedule
    clean_schedule()
    seen_first_days = set()
    for plan, where in visits:
        # school_holiday is unique per (zone, first_day): one period per first day.
        plan.holidays = [h for h in plan.holidays if h.first_day not in seen_first_days]
        seen_first_days |= {h.first_day for h in plan.holidays}
        store(plan, quartiers[where])
    monkeypatch.setattr(clock, "_system_now", lambda: now.astimezone(UTC))
    page = page_cards(client.get("/maison-du-projet/").get_data(as_text=True))
    event("cards on the page" if page else "empty page")
    event("a cancelled card" if any(c for *_, c in page) else "no cancelled card")
    assert page == feed_cards(client.get("/maison-du-projet.ics").get_data(as_text=True), now)
    for where in ("alma", "pile"):
        page = page_cards(client.get(f"/maison-du-projet/?quartier={where}").get_data(
            as_text=True))
        ics = client.get(f"/maison-du-projet/{where}.ics").get_data(as_text=True)
        assert page == feed_cards(ics, now)
        for slug, day, _cancelled in page:
            download = client.get(f"/maison-du-projet/visite/{slug}/{day}.ics")
            assert download.status_code == 200
