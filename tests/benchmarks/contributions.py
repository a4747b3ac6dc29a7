"""Benchmark of contributions (not a test): /contributions/, its map script, its GeoJSON, the
Atom feeds and one contribution's page (with its supports) with 10,000 published
contributions keep the queries they cost with 20, and how long they take; the validation
queue with 5,000 waiting; then, under 50 concurrent requests to a real server (p50/p95, no
photo): the submission POST, the same POST answered by the reports nearby ("Déjà signalé ?",
a box in SQL over 10,000 rows), and "Moi aussi"; and the submission POST 50 at once on
gunicorn (posting.py: p50/p95/p99, the server's CPU per POST, its SQL statements).

    .venv/bin/python -m tests.benchmarks.contributions
    .venv/bin/python -m tests.benchmarks.contributions --posts   # the POST on gunicorn alone

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
from portal.backoffice.models import Role
from portal.contributions.models import Contribution
from portal.extensions import db
from portal.quartiers import Quartier
from tests.benchmarks.timing import page_figures

PAGES = ("/contributions/", "/contributions/?quartier=alma&type=report&etat=received",
         "/contributions/carte.js", "/contributions.geojson", "/contributions/{id}",
         "/contributions/flux.atom", "/contributions/alma.atom", "/")


def add(count: int, status: str = "published", start: int = 0) -> int:
    now = datetime.now(UTC)
    quartiers = db.session.scalars(db.select(Quartier.id)).all()
    rows = [{
        "quartier_id": quartiers[n % len(quartiers)], "kind": "report" if n % 3 else "idea",
        "category": "eclairage" if n % 3 else "", "text": f"Contribution {start + n}.",
        "original_text": "", "place": "alma-rue-alma", "latitude": 50.69 + (n % 100) / 10000,
        "longitude": 3.17 + (n % 97) / 10000, "status": "received", "partner": "",
        "answer": "", "channel": "online", "language": "fr",
        "idempotency_key": f"bench-{status}-{start + n}",
        "submitted_at": now - timedelta(minutes=n), "last_news_at": now, "demo": True,
        "publication_status": status, "decision_note": "", "created_at": now,
        "updated_at": now,
    } for n in range(count)]
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(Contribution.__table__), rows[chunk:chunk + 5000])
    db.session.commit()
    return db.session.scalar(db.select(db.func.min(Contribution.id)))


def measure(client, queries, first: int, pages=PAGES, rounds: int = 15) -> dict:
    return page_figures(client, queries, [t.format(id=first) for t in pages], rounds)


def submission(n: int, confirm: bool = True) -> tuple[str, dict]:
    """The resident form; without `confirm`, answered by the reports nearby."""
    return "/contributions/nouvelle", {
        "kind": "report", "category": "eclairage", "quartier": "alma",
        "place": "alma-rue-alma", "text": f"Lampadaire éteint n° {n}.",
        "phone": "06 12 34 56 78", "consent": "y", "confirm": "1" if confirm else "",
        "key": f"bench-post-{int(confirm)}-{n:04d}-xxxxxxxx"}


def post_concurrently(app, form=submission, requests: int = 50) -> list[float]:
    app.config["WTF_CSRF_ENABLED"] = False
    for name in ("CONTRIBUTION_RATE_LIMIT", "CONTRIBUTION_SUPPORT_LIMIT",
                 "CONTRIBUTION_SUPPORT_PER_ITEM"):
        app.config[name] = "100000 per hour"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    barrier = threading.Barrier(requests)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def one(n: int) -> float:
        path, fields = form(n)
        request = urllib.request.Request(  # noqa: S310  (the local server)
            f"http://127.0.0.1:{server.server_port}{path}",
            data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"Host": "localhost"})
        barrier.wait()
        started = time.perf_counter()
        with contextlib.suppress(urllib.error.HTTPError):
            opener.open(request, timeout=60).read()  # the POST alone, not the page after
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(requests) as pool:
        times = sorted(pool.map(one, range(requests)))
    server.shutdown()
    return times


def queue_time(app, rounds: int = 10) -> tuple[float, int]:
    from portal.backoffice.accounts import create_user
    from tests.backoffice_helpers import log_in_as

    user = create_user(None, email="bench.projet@ville.example", role=Role.PROJECT,
                       password="mot de passe du banc 2026")
    db.session.commit()
    client = app.test_client()
    log_in_as(client, user)
    client.get("/admin/a-valider/")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/admin/a-valider/")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), response.status_code


LIMITS = {name: "100000 per hour" for name in (
    "CONTRIBUTION_RATE_LIMIT", "CONTRIBUTION_SUPPORT_LIMIT", "CONTRIBUTION_SUPPORT_PER_ITEM")}


def gunicorn_posts(app) -> None:
    from tests.benchmarks.posting import measure

    def form(n: int):
        path, fields = submission(n)
        return path, {**fields, "key": f"bench-gunicorn-{n:04d}-xxxxxxxx"}

    measure(app, "submission POST", form, **LIMITS)


def main(only_posts: bool = False) -> None:
    from portal.content import load_content

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0})
        with app.app_context():
            upgrade(revision="heads")
            load_content()
        if only_posts:
            print(f"database: {url.split(':')[0]}")
            return gunicorn_posts(app)
        with app.app_context():
            queries = []
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
            first = add(20, start=100_000)
            client = app.test_client()
            small = measure(client, queries, first)
            add(10_000 - 20)
            large = measure(client, queries, first)
            total = db.session.scalar(db.select(db.func.count()).select_from(Contribution)
                                      .where(Contribution.is_published))
            print(f"published contributions: {total}")
            print(f"{'page':50} {'q@20':>5} {'q@10k':>6} {'p50 ms':>8} {'max ms':>8}")
            for path in small:
                print(f"{path:50} {small[path][0]:>5} {large[path][0]:>6} "
                      f"{large[path][1]:>8.1f} {large[path][2]:>8.1f}")
            geojson = client.get("/contributions.geojson").get_json()
            print(f"map data bounded: {len(geojson['features'])} features in the GeoJSON")
            add(5000, status="pending", start=200_000)
            median, status = queue_time(app)
            print(f"validation queue, 5,000 waiting: p50 {median:.0f} ms (HTTP {status})")
        forms = {"submission POST": submission,
                 "submission POST showing the reports nearby": lambda n: submission(n, False),
                 "\"Moi aussi\" POST": lambda n: (f"/contributions/{first}/soutenir", {
                     "soutien-key": f"bench-support-{n:04d}-xxxxxxxx"})}
        for name, form in forms.items():
            times = post_concurrently(app, form)
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{name}, 50 concurrent (werkzeug, one process): p50 "
                  f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms")
        gunicorn_posts(app)


if __name__ == "__main__":
    import sys

    main(only_posts="--posts" in sys.argv[1:])
