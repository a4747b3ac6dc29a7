"""Benchmark of rendez-vous (not a test): /agenda/ and /agenda/<id> with 1,000 events and
20,000 registrations keep the queries they cost with 10 events, and how long they take;
then the registration POST under 50 concurrent requests to a real server (p50/p95).

    .venv/bin/python -m tests.benchmarks.events      # or: make bench

Runs on a temporary SQLite database (or BENCH_DATABASE_URL).
"""

import contextlib
import os
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event as sa_event
from sqlalchemy import insert
from werkzeug.serving import make_server

from portal import create_app
from portal.content import load_content
from portal.events.models import Event, Registration
from portal.extensions import db
from portal.quartiers import Quartier
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


def post_concurrently(app, event_id: int, requests: int = 50) -> list[float]:
    app.config["WTF_CSRF_ENABLED"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    barrier = threading.Barrier(requests)

    def one(n: int) -> float:
        data = urllib.parse.urlencode({"name": f"C{n}", "email": f"c{n}@x.fr", "people": "1",
                                       "consent": "y"}).encode()
        request = urllib.request.Request(  # noqa: S310  (the local server)
            f"http://127.0.0.1:{server.server_port}/agenda/{event_id}/inscription",
            data=data, method="POST", headers={"Host": "localhost"})
        barrier.wait()
        started = time.perf_counter()
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=60).read()  # noqa: S310
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(requests) as pool:
        times = sorted(pool.map(one, range(requests)))
    server.shutdown()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0})
        with app.app_context():
            upgrade(revision="heads")
            load_content()
            queries = []
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
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
        times = post_concurrently(app, target)
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"registration POST, 50 concurrent: p50 {statistics.median(times):.0f} ms, "
              f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
