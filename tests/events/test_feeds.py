"""Calendar feeds read by an independent parser (icalendar) match the pages."""

import icalendar

from portal.events.models import EventStatus
from portal.publication import PublicationStatus
from tests.events.factories import make_event, paris
from tests.factories import make_quartier


def events_of(data: bytes) -> list:
    return [c for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_agenda_feed_matches_the_page(now, client, db):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    first = make_event(alma, title="Réunion", starts_at=paris(2026, 12, 8, 18))
    make_event(pile, title="Balade", starts_at=paris(2026, 12, 9, 10))
    make_event(alma, title="Caché", publication_status=PublicationStatus.PENDING)
    response = client.get("/agenda.ics")
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert cal.walk("VTIMEZONE") and str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Paris"
    found = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(found) == {"Réunion", "Balade"}
    page = client.get("/agenda/").get_data(as_text=True)
    assert all(title in page for title in found)
    vevent = found["Réunion"]
    assert str(vevent["UID"]) == f"rendez-vous-{first.slug}@npnru-roubaix"
    assert vevent["DTSTART"].dt.isoformat() == "2026-12-08T18:00:00+01:00"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert f"/agenda/{first.id}" in str(vevent["URL"])
    assert f"/agenda/{first.id}" in str(vevent["DESCRIPTION"])


def test_quartier_feed_and_filters(now, client, db):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_event(alma, title="Atelier Alma", kind="atelier")
    make_event(pile, title="Réunion Pile")
    titles = [str(e["SUMMARY"]) for e in events_of(client.get("/agenda/alma.ics").data)]
    assert titles == ["Atelier Alma"]
    titles = [str(e["SUMMARY"]) for e in events_of(client.get("/agenda.ics?type=atelier").data)]
    assert titles == ["Atelier Alma"]


def test_cancelled_event_keeps_its_uid_with_a_higher_sequence(now, client, db):
    alma = make_quartier("alma")
    event = make_event(alma, title="Réunion")
    before = events_of(client.get("/agenda.ics").data)[0]
    event.status, event.change_note, event.sequence = EventStatus.CANCELLED, "Salle fermée", 1
    db.session.commit()
    after = events_of(client.get("/agenda.ics").data)[0]
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == 1 and str(after["STATUS"]) == "CANCELLED"
    assert "Salle fermée" in str(after["DESCRIPTION"])


def test_one_event_download(now, client, db):
    event = make_event(make_quartier("alma"), title="Réunion")
    response = client.get(f"/agenda/{event.id}.ics")
    assert "attachment" in response.headers["Content-Disposition"]
    [vevent] = events_of(response.data)
    assert str(vevent["SUMMARY"]) == "Réunion"
