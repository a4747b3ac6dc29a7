"""The validation queue marks what waits for more than 48 hours, contributions and
rendez-vous alike, in words and with a marker (not only a colour); Paris time frozen."""

import re
from datetime import UTC, datetime, timedelta

from portal.clock import PARIS
from portal.publication import PublicationStatus
from tests.contributions.factories import make_contribution
from tests.events.factories import make_event

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=PARIS)  # a Thursday


def before(delta: timedelta) -> datetime:
    """NOW - delta in UTC, as the rows store it (SQLite keeps no time zone)."""
    return (NOW - delta).astimezone(UTC)


def card(html: str, title: str) -> str:
    """The queue's <li> holding `title`."""
    found = [li for li in re.findall(r"<li class=\"card[^\"]*\">.*?</li>", html, re.S)
             if f">{title}<" in li]
    assert len(found) == 1, title
    return found[0]


def test_items_waiting_more_than_48_hours_are_marked_late(frozen_clock, project_client,
                                                          quartiers):
    frozen_clock(NOW)
    alma = quartiers["alma"]
    ago = {name: before(delta) for name, delta in (
        ("old", timedelta(days=3)), ("just", timedelta(hours=48, minutes=1)),
        ("edge", timedelta(hours=47, minutes=59)), ("new", timedelta(hours=1)))}
    contributions = {name: make_contribution(alma, publication_status=PublicationStatus.PENDING,
                                             submitted_at=at) for name, at in ago.items()}
    for name, at in ago.items():
        make_event(alma, publication_status=PublicationStatus.PENDING, submitted_at=at,
                   title=f"Atelier {name}")
    html = project_client.get("/admin/a-valider/").get_data(as_text=True)
    assert "4 attendent depuis plus de 48 heures." in html
    for name in ago:
        for item in (card(html, f"Contribution n° {contributions[name].id}"),
                     card(html, f"Atelier {name}")):
            late = name in ("old", "just")
            assert ('class="card late"' in item) is late, name
            assert ("En retard : en attente depuis" in item) is late, name
            assert ('<span aria-hidden="true">⚠</span>' in item) is late, name
    assert "En retard : en attente depuis 3 jours" in card(
        html, f"Contribution n° {contributions['old'].id}")
    assert "En retard : en attente depuis 3 jours" in card(html, "Atelier old")
    assert "En retard : en attente depuis 2 jours" in card(html, "Atelier just")
    assert "En attente depuis 1 jour" in card(html, "Atelier edge")
    assert "Envoyé aujourd’hui" in card(html, "Atelier new")


def test_nothing_is_late_two_days_earlier(frozen_clock, project_client, quartiers):
    frozen_clock(NOW - timedelta(days=2))
    make_contribution(quartiers["alma"], publication_status=PublicationStatus.PENDING,
                      submitted_at=before(timedelta(days=3)))
    frozen_clock(NOW - timedelta(days=2, hours=-1))  # 25 hours later than it was sent
    html = project_client.get("/admin/a-valider/").get_data(as_text=True)
    assert "En retard" not in html and "plus de 48 heures" not in html
    frozen_clock(NOW)
    html = project_client.get("/admin/a-valider/").get_data(as_text=True)
    assert "En retard : en attente depuis 3 jours" in html


def test_the_late_marker_is_translated(frozen_clock, project_client, quartiers):
    frozen_clock(NOW)
    make_event(quartiers["alma"], publication_status=PublicationStatus.PENDING,
               submitted_at=before(timedelta(days=3)), title="Atelier")
    for lang in ("en", "ar"):
        html = project_client.get(f"/admin/a-valider/?lang={lang}").get_data(as_text=True)
        item = card(html, "Atelier")
        assert 'class="card late"' in item and "En retard" not in item, lang
