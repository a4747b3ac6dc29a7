"""Calendar feeds: RFC 5545 structure, stable UIDs, filters, and agreement with the page
(checked with an independent parser, vobject)."""

import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from portal.clock import PARIS
from portal.content import load_content
from tests.factories import make_quartier
from tests.mobile_house.factories import cancel, make_visit

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    frozen_clock(NOW)


@pytest.fixture
def demo_schedule(db, tmp_path):
    """The demonstration schedule of content/, on the four quartiers."""
    for slug in ("alma", "epeule", "pile", "trois-ponts"):
        make_quartier(slug)
    for name in ("mobile_house.yaml", "school_holidays.yaml"):
        shutil.copy(ROOT / "content" / name, tmp_path / name)
    return load_content(tmp_path)


def expand_feed(ics: str, start: datetime, end: datetime) -> dict:
    """{(uid, start): status} of every instance in [start, end), read with vobject."""
    cal = vobject.readOne(ics)
    found, overrides = {}, {}
    for ev in cal.vevent_list:
        status = ev.status.value if hasattr(ev, "status") else "CONFIRMED"
        if hasattr(ev, "recurrence_id"):
            overrides[(ev.uid.value, ev.recurrence_id.value)] = status
        elif hasattr(ev, "rrule"):
            for when in ev.getrruleset(addRDate=True).between(start, end, inc=True):
                found[(ev.uid.value, when)] = status
        elif start <= ev.dtstart.value < end:
            found[(ev.uid.value, ev.dtstart.value)] = status
    for key, status in overrides.items():
        if key in found:
            found[key] = status
    return found


def page_occurrences(html: str) -> set:
    """(visit slug, day, cancelled) of each card on the schedule page."""
    cards = re.findall(r'<li class="card visit( visit-cancelled)?" id="visite-(.+?)-(\d{4}-\d\d-\d\d)"', html)
    return {(slug, day, bool(cancelled)) for cancelled, slug, day in cards}


def weeks_shown(client, weeks: int) -> set:
    """The cards of the schedule page and of the weeks its "next week" links lead to."""
    shown, url = set(), "/maison-du-projet/"
    for _ in range(weeks):
        html = client.get(url).get_data(as_text=True)
        shown |= page_occurrences(html)
        url = re.search(r'<a rel="next" href="([^"]+)">Semaine suivante', html).group(1)
        url = url.replace("&amp;", "&")
    return shown


def test_feed_matches_page(client, demo_schedule):
    ics = client.get("/maison-du-projet.ics").get_data(as_text=True)
    start = datetime(2026, 11, 25, tzinfo=PARIS)
    feed = expand_feed(ics, start, start + timedelta(days=29))
    from_feed = {
        (uid.split("@")[0].removeprefix("maison-mobile-"), when.date().isoformat(),
         status == "CANCELLED")
        for (uid, when), status in feed.items() if when > NOW - timedelta(hours=3)
    }
    shown = {card for card in weeks_shown(client, 5) if card[1] < "2026-12-24"}
    assert shown == from_feed
    assert len(shown) > 15 and any(cancelled for *_, cancelled in shown)
    # The Tuesday 29 December exception and the Épeule Wednesdays in Christmas holidays.
    assert ("alma-mardi", "2026-12-22", False) in shown
    assert ("epeule-mercredi", "2026-12-23", False) not in shown


def test_feed_keeps_local_time_across_dst(client, demo_schedule):
    ics = client.get("/maison-du-projet/alma.ics").get_data(as_text=True)
    feed = expand_feed(ics, datetime(2027, 3, 20, tzinfo=PARIS), datetime(2027, 4, 3, tzinfo=PARIS))
    tuesdays = sorted(w for (uid, w) in feed if uid.startswith("maison-mobile-alma-mardi@"))
    assert [w.isoformat() for w in tuesdays] == ["2027-03-23T14:00:00+01:00",
                                                 "2027-03-30T14:00:00+02:00"]


def test_feed_is_rfc5545_with_timezone_names_and_links(client, demo_schedule):
    response = client.get("/maison-du-projet/pile.ics")
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    unfolded = text.replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "\r\nVERSION:2.0\r\n" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in text
    assert "NAME:Maison Mobile du Projet : Pile" in unfolded
    assert "X-WR-CALNAME:Maison Mobile du Projet : Pile" in unfolded
    cal = vobject.readOne(text)
    series = next(e for e in cal.vevent_list if e.uid.value.startswith("maison-mobile-pile-jeudi@"))
    # The feed covers twelve months ahead (feeds.feed_window): the series stops there.
    assert series.rrule.value.startswith("FREQ=WEEKLY;UNTIL=20271126T225959Z;INTERVAL=2;BYDAY=TH")
    assert series.dtstamp.value.tzinfo is not None
    assert series.location.value == "Square de la rue de Condé, Rue de Condé, 59100 Roubaix"
    assert series.geo.value == "50.6829;3.1869"
    assert series.url.value == "http://localhost/maison-du-projet/?quartier=pile"
    assert series.description.value.endswith("http://localhost/maison-du-projet/?quartier=pile")
    cancelled = [e for e in cal.vevent_list if hasattr(e, "recurrence_id")]
    assert [(e.recurrence_id.value.date(), e.status.value) for e in cancelled] == [
        (date(2026, 11, 26), "CANCELLED")
    ]
    assert "Le camion est en réparation" in cancelled[0].description.value
    assert all(e.uid.value.split("@")[0].startswith("maison-mobile-pile") for e in cal.vevent_list)


def test_feed_is_identical_between_requests(client, demo_schedule):
    """Same UIDs and DTSTAMPs each time: a subscribed calendar updates, never duplicates."""
    assert client.get("/maison-du-projet.ics").data == client.get("/maison-du-projet.ics").data


def test_feed_follows_theme_filter_and_language(client, demo_schedule):
    text = client.get("/maison-du-projet.ics?theme=emploi&lang=en").get_data(as_text=True)
    uids = {e.uid.value.split("@")[0] for e in vobject.readOne(text).vevent_list}
    assert uids == {"maison-mobile-epeule-mercredi", "maison-mobile-alma-vendredi",
                    "maison-mobile-trois-ponts-forum-emploi-2026-12-07"}
    assert "Colisée theatre forecourt" in text.replace("\r\n ", "")
    assert client.get("/maison-du-projet.ics?theme=n-importe-quoi").status_code == 200


def ics_events(response) -> list:
    return icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def instance_key(event) -> tuple:
    recurrence_id = event.get("RECURRENCE-ID")
    return str(event["UID"]), recurrence_id.dt if recurrence_id else None


def test_one_visit_download_names_the_feeds_instance(client):
    """Series UID + RECURRENCE-ID: a calendar holding the feed too merges them."""
    alma = make_quartier("alma")
    visit = make_visit(alma, "alma-mercredi")
    response = client.get("/maison-du-projet/visite/alma-mercredi/2026-12-02.ics")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    [event] = ics_events(response)
    [series] = ics_events(client.get("/maison-du-projet/alma.ics"))
    assert instance_key(event) == (str(series["UID"]), datetime(2026, 12, 2, 14, tzinfo=PARIS))
    assert event["DTSTART"].dt == datetime(2026, 12, 2, 14, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == event["RECURRENCE-ID"].params["TZID"] == "Europe/Paris"
    assert "RRULE" not in event and event["STATUS"] == "CONFIRMED"
    cancel(visit, date(2026, 12, 9))
    [cancelled] = ics_events(client.get("/maison-du-projet/visite/alma-mercredi/2026-12-09.ics"))
    feed = {instance_key(e): e for e in ics_events(client.get("/maison-du-projet/alma.ics"))}
    override = feed[instance_key(cancelled)]
    assert cancelled["STATUS"] == override["STATUS"] == "CANCELLED"
    assert cancelled["DTSTAMP"].dt == override["DTSTAMP"].dt


def test_one_visit_download_of_a_one_off_is_the_feeds_event(client):
    make_visit(make_quartier("alma"), "forum", starts_on=date(2026, 12, 7),
               ends_on=date(2026, 12, 7), rrule=None)
    [event] = ics_events(client.get("/maison-du-projet/visite/forum/2026-12-07.ics"))
    [in_feed] = ics_events(client.get("/maison-du-projet.ics"))
    assert instance_key(event) == instance_key(in_feed) == (str(in_feed["UID"]), None)
    assert event.to_ical() == in_feed.to_ical()


@pytest.mark.parametrize("day", ["2026-12-03", "2026-13-40", "demain", "2030-01-01"])
def test_one_visit_download_of_a_day_without_visit_is_404(client, day):
    make_visit(make_quartier("alma"), "alma-mercredi")
    assert client.get(f"/maison-du-projet/visite/alma-mercredi/{day}.ics").status_code == 404


def test_unchanged_feed_answers_304_to_a_polling_calendar(client, demo_schedule):
    first = client.get("/maison-du-projet/alma.ics")
    again = client.get("/maison-du-projet/alma.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_arabic_feed_folds_lines_without_breaking_characters(client, demo_schedule):
    text = client.get("/maison-du-projet/pile.ics?lang=ar").get_data(as_text=True)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    summaries = [e.summary.value for e in vobject.readOne(text).vevent_list]
    assert "دار المشروع المتنقلة: حديقة شارع كوندي (Pile)" in summaries
    descriptions = [e.description.value for e in vobject.readOne(text).vevent_list]
    themes = [line for d in descriptions for line in d.split("\n") if line.startswith("المواضيع: ")]
    assert "المواضيع: إعادة الإسكان، إطار العيش" in themes and not any(", " in t for t in themes)


def vtimezone_transitions(ics: bytes) -> dict:
    """{day of each change of Europe/Paris: 'DAYLIGHT' or 'STANDARD'}."""
    cal = icalendar.Calendar.from_ical(ics)
    [zone] = [c for c in cal.walk("VTIMEZONE") if str(c["TZID"]) == "Europe/Paris"]
    found = {}
    for part in zone.subcomponents:
        starts = [part["DTSTART"].dt]
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [p.dt for p in rdate.dts]
        for start in starts:
            found[start.date()] = part.name
    return found


def test_timezone_covers_the_last_year_of_every_series(client, demo_schedule):
    """Outlook reads offsets from the VTIMEZONE: a visit after its last change would move."""
    ics = client.get("/maison-du-projet.ics").data
    cal = icalendar.Calendar.from_ical(ics)
    last_year = max(ev["RRULE"]["UNTIL"][0].year for ev in cal.walk("VEVENT") if "RRULE" in ev)
    assert last_year == 2027  # the feed's window ends twelve months ahead (2027-11-26)
    transitions = vtimezone_transitions(ics)
    assert transitions[date(2027, 10, 31)] == "STANDARD"
    assert transitions[date(2028, 3, 26)] == "DAYLIGHT"
    assert min(transitions) <= min(ev["DTSTART"].dt for ev in cal.walk("VEVENT")).date()


@pytest.mark.parametrize("query, back", [("", "?quartier=pile"), ("?lang=ar", "?quartier=pile&lang=ar"),
                                         ("?lang=en", "?quartier=pile&lang=en")])
def test_way_back_to_the_page_keeps_the_feeds_language(client, demo_schedule, query, back):
    response = client.get("/maison-du-projet/pile.ics" + query)
    cal = icalendar.Calendar.from_ical(response.data)
    page = "http://localhost/maison-du-projet/" + back
    assert str(cal["URL"]) == page
    for event in cal.walk("VEVENT"):
        assert str(event["URL"]) == page
        assert str(event["DESCRIPTION"]).endswith(" " + page)
    day = "2026-12-10"
    [one] = icalendar.Calendar.from_ical(
        client.get(f"/maison-du-projet/visite/pile-jeudi/{day}.ics{query}").data).walk("VEVENT")
    assert str(one["URL"]) == page and str(one["DESCRIPTION"]).endswith(page)


def test_feed_covers_three_months_back_to_twelve_ahead(client, demo_schedule):
    """A series running from September 2026 to July 2028 is cut to the feed's window, and
    the page says so."""
    cal = icalendar.Calendar.from_ical(client.get("/maison-du-projet.ics").data)
    starts = [ev["DTSTART"].dt.date() for ev in cal.walk("VEVENT")]
    untils = [ev["RRULE"]["UNTIL"][0].date() for ev in cal.walk("VEVENT") if "RRULE" in ev]
    assert min(starts) >= date(2026, 8, 25)  # NOW is 2026-11-25: about three months back
    assert max(untils) <= date(2027, 11, 27)  # and twelve ahead
    expanded = expand_feed(client.get("/maison-du-projet.ics").get_data(as_text=True),
                           datetime(2027, 12, 1, tzinfo=PARIS), datetime(2028, 7, 2, tzinfo=PARIS))
    assert not expanded
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert "trois derniers mois et les douze prochains" in html


def test_feed_is_built_once_per_change_of_its_data(client, monkeypatch):
    """The built feed is kept (keyed by language, filters, window and data version) and built
    again after any change of the visits, also one made without a commit in this process
    (another worker's): the data version tells."""
    from portal.extensions import db
    from portal.mobile_house import feeds

    alma = make_quartier("alma")
    visit = make_visit(alma, "alma-mercredi")
    built = []
    real = feeds.schedule_calendar
    monkeypatch.setattr(feeds, "schedule_calendar", lambda *a, **k: built.append(1) or real(*a, **k))
    first = client.get("/maison-du-projet.ics").data
    assert client.get("/maison-du-projet.ics").data == first and len(built) == 1
    client.get("/maison-du-projet.ics?lang=en")
    client.get("/maison-du-projet/alma.ics")
    assert len(built) == 3

    visit.place_name = "Place du Nouveau Monde"
    db.session.commit()
    assert b"Nouveau Monde" in client.get("/maison-du-projet.ics").data and len(built) == 4

    cancelled = cancel(visit, date(2026, 12, 2))
    assert b"STATUS:CANCELLED" in client.get("/maison-du-projet.ics").data and len(built) == 5
    # Another process takes the cancellation back: no commit in this one, a new data version.
    with db.engine.begin() as connection:
        connection.execute(db.text("DELETE FROM mobile_house_cancellation WHERE id = :id"),
                           {"id": cancelled.id})
    db.session.expire_all()
    assert b"STATUS:CANCELLED" not in client.get("/maison-du-projet.ics").data
    assert len(built) == 6
