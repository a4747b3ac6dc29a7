"""Public pages of rendez-vous: the agenda and its filters, an event's page, the home and
quartier blocks, the sitemap, the demonstration content."""

import json
import re
from datetime import timedelta

import pytest

from portal.events.models import EventStatus
from portal.publication import PublicationStatus
from tests.events.factories import make_event, paris
from tests.factories import make_quartier


@pytest.fixture
def alma(db):
    return make_quartier("alma")


def test_agenda_lists_coming_events_by_day_and_past_with_outcome(now, client, alma):
    make_event(alma, title="Réunion à venir", starts_at=paris(2026, 12, 8, 18))
    make_event(alma, title="Brouillon", publication_status=PublicationStatus.PENDING)
    make_event(alma, title="Atelier passé", starts_at=paris(2026, 11, 20, 14), attendance=12,
               report="Un parc.")
    html = client.get("/agenda/").get_data(as_text=True)
    assert "Réunion à venir" in html and "Brouillon" not in html
    assert "mardi 8 décembre 2026" in html
    assert "Rendez-vous passés" in html and "12 personnes sont venues." in html


@pytest.mark.parametrize("query", [
    "quartier=nulle-part", "type=%00", "accessibilite=<script>", "periode=siecle",
    "quartier=" + "a" * 500, "page=-1", "type=atelier&type=x", "quartier=%ff%fe",
])
def test_bad_filters_are_ignored_never_a_500(now, client, alma, query):
    make_event(alma, title="Toujours là")
    # 400 for a NUL byte, as everywhere on the site (tests/test_hostile_urls.py); else ignored.
    assert client.get("/agenda/?" + query).status_code in (200, 400)
    assert client.get("/agenda.ics?" + query).status_code in (200, 400)
    assert client.get("/agenda/alma.ics?" + query).status_code in (200, 400)


def test_filters_by_quartier_type_accessibility_and_period(now, client, alma):
    pile = make_quartier("pile")
    make_event(alma, title="Atelier Alma", kind="atelier", accessibility=["lsf"],
               starts_at=paris(2026, 12, 3, 14))
    make_event(pile, title="Balade Pile", kind="balade-urbaine", accessibility=[],
               starts_at=paris(2026, 12, 20, 14))
    assert "Balade Pile" not in client.get("/agenda/?quartier=alma").get_data(as_text=True)
    assert "Atelier Alma" not in client.get("/agenda/?type=balade-urbaine").get_data(
        as_text=True)
    html = client.get("/agenda/?accessibilite=lsf").get_data(as_text=True)
    assert "Atelier Alma" in html and "Balade Pile" not in html
    html = client.get("/agenda/?periode=semaine").get_data(as_text=True)
    assert "Atelier Alma" in html and "Balade Pile" not in html


def test_event_page_says_when_where_and_how(now, client, alma):
    event = make_event(alma, title="Réunion publique", starts_at=paris(2026, 12, 8, 18),
                       accessibility=["fauteuil", "interpretariat"], organiser="Ville")
    html = client.get(f"/agenda/{event.id}").get_data(as_text=True)
    assert "mardi 8 décembre 2026, de 18 h à 20 h" in html
    assert "geo:50.699,3.167" in html and "openstreetmap.org" in html
    assert "Accessible en fauteuil roulant" in html and "Ville" in html
    assert f"/agenda/{event.id}.ics" in html and "calendar.google.com" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>',
                              html, re.S).group(1))
    assert ld["@type"] == "Event" and ld["eventStatus"] == "https://schema.org/EventScheduled"
    assert ld["startDate"] == "2026-12-08T18:00:00+01:00"
    assert ld["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    script = client.get(f"/agenda/{event.id}/carte.js")
    assert script.status_code == 200 and b"drawMap(" in script.data


def test_cancelled_and_moved_events_say_so(now, client, alma):
    cancelled = make_event(alma, status=EventStatus.CANCELLED, change_note="Salle fermée")
    moved = make_event(alma, status=EventStatus.MOVED)
    html = client.get(f"/agenda/{cancelled.id}").get_data(as_text=True)
    assert "Annulé" in html and "Salle fermée" in html and "EventCancelled" in html
    assert "EventRescheduled" in client.get(f"/agenda/{moved.id}").get_data(as_text=True)


def test_unpublished_or_missing_event_is_404(now, client, alma):
    event = make_event(alma, publication_status=PublicationStatus.PENDING)
    assert client.get(f"/agenda/{event.id}").status_code == 404
    assert client.get(f"/agenda/{event.id}.ics").status_code == 404
    assert client.get("/agenda/999999").status_code == 404
    assert client.get("/agenda/nulle-part.ics").status_code == 404


def test_home_and_quartier_pages_show_the_next_events(now, client, alma):
    make_event(alma, title="Bientôt à l'Alma")
    make_event(alma, title="Fini", starts_at=paris(2026, 11, 1, 10))
    home = client.get("/").get_data(as_text=True)
    assert "Prochains rendez-vous" in home and "Bientôt à l&#39;Alma" in home
    assert "Fini" not in home
    assert "Bientôt à l&#39;Alma" in client.get("/quartiers/alma").get_data(as_text=True)


def test_sitemap_lists_the_agenda_and_published_events(now, client, alma):
    event = make_event(alma)
    hidden = make_event(alma, publication_status=PublicationStatus.DRAFT)
    xml = client.get("/sitemap-1.xml").get_data(as_text=True)
    assert "/agenda/" in xml and f"/agenda/{event.id}<" in xml
    assert f"/agenda/{hidden.id}<" not in xml


def test_demonstration_content_fills_the_agenda(now, client, demo_content):
    from portal.events.models import Event
    from portal.extensions import db

    rows = db.session.scalars(db.select(Event)).all()
    assert len(rows) >= 10 and all(e.demo and e.is_published for e in rows)
    assert {e.quartier.slug for e in rows} == {"alma", "epeule", "pile", "trois-ponts"}
    assert sum(e.is_cancelled for e in rows) == 1
    assert sum(e.registration for e in rows) >= 3
    past = [e for e in rows if e.ends_at.replace(tzinfo=e.ends_at.tzinfo) < now
            .astimezone(e.ends_at.tzinfo) - timedelta(0)] if False else [
        e for e in rows if e.report]
    assert len(past) == 2
    html = client.get("/agenda/").get_data(as_text=True)
    assert "Lire le compte rendu" in html


def test_agenda_and_event_page_cost_a_fixed_number_of_queries(now, client, alma,
                                                              count_queries):
    from portal.extensions import db
    from tests.events.factories import make_registration

    def costs(event_id):
        counted = []
        for url in ("/agenda/", f"/agenda/{event_id}", "/agenda.ics", "/"):
            db.session.expunge_all()  # nothing served from the test's own identity map
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counted.append(len(statements))
        return counted

    first = make_event(alma, registration=True, capacity=50)
    make_registration(first)
    make_event(alma, starts_at=paris(2026, 10, 1, 18), report="Fait.")
    alma_id, first_id = alma.id, first.id
    few = costs(first_id)
    alma = db.session.get(type(alma), alma_id)
    for n in range(12):
        event = make_event(alma, registration=True, capacity=50,
                           starts_at=paris(2026, 12, 2 + n, 18))
        make_registration(event)
        make_event(alma, starts_at=paris(2026, 11, 1 + n, 18), report="Fait.")
    assert costs(first_id) == few
