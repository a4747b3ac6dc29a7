"""Benchmark of rendez-vous (not a test): /agenda/ and /agenda/<id> with 1,000 events and
20,000 registrations keep the queries they cost with 10 events, and how long they take;
then the registration POST, 50 at once on gunicorn (posting.py: p50/p95/p99, the server's
CPU per POST, its SQL statements), on an event of 120 places that fills up meanwhile (so the
waiting list is measured too, and the places are checked to be exact).

    .venv/bin/python -m tests.benchmarks.events      # or: make bench
    .venv/bin/python -m tests.benchmarks.events --posts    # the POST alone

Runs on a temporary SQLite database (or BENCH_DATABASE_URL).
"""

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event as sa_event
from sqlalchemy import insert

from portal import create_app
from portal.content import load_content
from portal.events.models import Event, Registration
from portal.extensions import db
from portal.quartiers import Quartier
from tests.benchmarks.posting import measure as measure_post
from tests.benchmarks.timing import page_figures

PAGES = ("/agenda/", "/agenda/{id}", "/agenda.ics", "/agenda/alma.ics", "/")


def add_events(count: int, registrations_each: int, start: int = 0) -> list[int]:
    now = datetime.now(UTC)
    quartiers = db.session.scalars(db.select(Quartier.id)).all()
    rows = [{
        "slug": f"bench-{start + n}", "quartier_id": quartiers[n % len(quartiers)],
        "kind": "atelier", "title": f"Atelier {start + n}", "easy_read": "",
        "description": "Un atelier.", "description_html": {"fr": "<p>Un atelier.</p>"},
        "starts_at": now + timedelta(hours=6 + n), "ends_at": now + timedelta(hours=8 + n),
        "place_name": "Salle", "address": "Rue", "latitude": 50.69, "longitude": 3.17,
        "accessibility": ["fauteuil"], "organiser": "", "registration": True,
        "capacity": 100, "seats_taken": registrations_each, "report": "", "report_html": {},
        "publication_status": "published", "translations": {}, "created_at": now,
        "updated_at": now, "status": "scheduled", "change_note": "", "sequence": 0,
        "decision_note": "", "demo": True,
    } for n in range(count)]
    db.session.execute(insert(Event.__table__), rows)
    ids = db.session.scalars(db.select(Event.id).where(Event.slug.like("bench-%"))
                             .order_by(Event.id)).all()[-count:]
    registrations = [{
        "event_id": event_id, "name": f"P{i}", "phone": "", "email": f"p{i}@x.fr",
        "contact_key": f"mail:p{i}@x.fr", "people": 1, "needs": [], "language": "fr",
        "wants_news": False, "channel": "online", "status": "confirmed", "created_at": now,
    } for event_id in ids for i in range(registrations_each)]
    for chunk in range(0, len(registrations), 5000):
        db.session.execute(insert(Registration.__table__), registrations[chunk:chunk + 5000])
    db.session.commit()
    return ids


def measure(app, client, queries, event_id: int, rounds: int = 20) -> dict:
    return page_figures(client, queries, [t.format(id=event_id) for t in PAGES], rounds)


def registration_form(event_id: int):
    return lambda n: (f"/agenda/{event_id}/inscription", {
        "name": f"C{n}", "email": f"c{n}@x.fr", "people": "1", "consent": "y"})


def posts(app, event_id: int) -> None:
    measure_post(app, "registration POST", registration_form(event_id))
    with app.app_context():
        event = db.session.get(Event, event_id)
        confirmed = db.session.scalar(
            db.select(db.func.sum(Registration.people)).where(
                Registration.event_id == event_id, Registration.status == "confirmed"))
        waiting = db.session.scalar(db.select(db.func.count()).where(
            Registration.event_id == event_id, Registration.status == "waiting"))
        print(f"  places: {confirmed} confirmed of {event.capacity} (seats_taken "
              f"{event.seats_taken}), {waiting} on the waiting list")


def main(only_posts: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0})
        with app.app_context():
            upgrade(revision="heads")
            load_content()
            queries = []
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
            if only_posts:
                target = add_events(1, 0, start=5000)[0]
                db.session.execute(db.update(Event).where(Event.id == target)
                                   .values(capacity=120))
                db.session.commit()
        if only_posts:
            print(f"database: {url.split(':')[0]}")
            return posts(app, target)
        with app.app_context():
            first = add_events(10, 20)[0]
            client = app.test_client()
            small = measure(app, client, queries, first)
            add_events(990, 20, start=10)
            total = db.session.scalar(db.select(db.func.count()).select_from(Registration))
            large = measure(app, client, queries, first)
            print(f"events: {db.session.scalar(db.select(db.func.count()).select_from(Event))}"
                  f", registrations: {total}")
            print(f"{'page':22} {'queries@10':>10} {'queries@1000':>12} {'p50 ms':>8} "
                  f"{'max ms':>8}")
            for path in small:
                print(f"{path:22} {small[path][0]:>10} {large[path][0]:>12} "
                      f"{large[path][1]:>8.1f} {large[path][2]:>8.1f}")
            target = add_events(1, 0, start=5000)[0]
            db.session.execute(db.update(Event).where(Event.id == target).values(capacity=120))
            db.session.commit()
        posts(app, target)


if __name__ == "__main__":
    main(only_posts="--posts" in sys.argv[1:])
