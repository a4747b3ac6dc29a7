"""Benchmark of the bilans (issue 18), printing times: two years of generated activity,
then /admin/bilans/ for a year and all quartiers, its XLSX, /chiffres, and what counting a
page view adds to a request.

    .venv/bin/python -m tests.benchmarks.reports     # BENCH_DATABASE_URL for PostgreSQL

Volumes: 3,000 Maison Mobile occurrences (29 weekly series over two years, ~5 % cancelled,
people received on each held one) and 5 million page views as per-day counts (200 pages x
730 days). Participation, cadre de vie and messages are not generated: their domains have
not landed on main yet, so the bilans have no block for them.
"""

import os
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert

from portal import clock, create_app
from portal.clock import PARIS
from portal.extensions import db
from portal.mobile_house.models import Visit, VisitCancellation, VisitReport
from portal.publication import PublicationStatus
from portal.quartiers import Quartier
from portal.reports import pageviews
from portal.reports.models import PageView

FIRST = date(2025, 1, 1)
DAYS = 730
NOW = datetime(2026, 12, 31, 12, tzinfo=PARIS)


def generate(rng: random.Random) -> dict:
    quartiers = [Quartier(slug=s, name=s.title(), position=i, translations={})
                 for i, s in enumerate(("alma", "epeule", "pile", "trois-ponts"))]
    db.session.add_all(quartiers)
    db.session.flush()
    visits = []
    for n in range(29):
        visits.append(Visit(
            slug=f"bench-{n}", quartier_id=quartiers[n % 4].id, place_name=f"Place {n}",
            address="Roubaix", starts_on=FIRST + timedelta(days=n % 7),
            ends_on=FIRST + timedelta(days=DAYS - 1), start_time=clock_time(14),
            end_time=clock_time(17), rrule="FREQ=WEEKLY", themes=[], partners=[],
            exception_dates=[], description="", translations={},
            publication_status=PublicationStatus.PUBLISHED))
    db.session.add_all(visits)
    db.session.flush()
    cancellations, reports, occurrences = [], [], 0
    for visit in visits:
        day = visit.starts_on
        while day <= visit.ends_on:
            occurrences += 1
            if rng.random() < 0.05:
                cancellations.append({"visit_id": visit.id, "occurs_on": day,
                                      "reason": rng.choice(("Panne", "Météo", "Grève")),
                                      "translations": {}, "created_at": clock.utcnow(),
                                      "updated_at": clock.utcnow()})
            else:
                reports.append({"visit_id": visit.id, "quartier_id": visit.quartier_id,
                                "occurs_on": day, "people_received": rng.randint(0, 40),
                                "created_at": clock.utcnow(), "updated_at": clock.utcnow()})
            day += timedelta(days=7)
    db.session.execute(insert(VisitCancellation), cancellations)
    db.session.execute(insert(VisitReport), reports)
    pages = ["/", "/maison-du-projet/", "/chantiers/"] + [f"/actualites/article-{n}"
                                                         for n in range(197)]
    total, rows = 0, []
    for offset in range(DAYS):
        for page in pages:
            views = rng.randint(10, 58)
            total += views
            rows.append({"day": FIRST + timedelta(days=offset), "page": page, "views": views})
    for start in range(0, len(rows), 20000):
        db.session.execute(insert(PageView), rows[start:start + 20000])
    db.session.commit()
    return {"occurrences": occurrences, "cancelled": len(cancellations),
            "page_view_rows": len(rows), "page_views": total}


def timed(client, path: str, runs: int = 7, **kwargs) -> tuple[float, int, int]:
    client.get(path, **kwargs)  # warm: templates compiled, the pool connected
    times, status, size = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        status, size = response.status_code, len(response.data)
    return statistics.median(times), status, size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0,
                          "PAGE_VIEWS_FLUSH_SECONDS": 3600})
        clock._system_now = lambda: NOW
        with app.app_context():
            db.drop_all()
            upgrade(revision="heads")
            started = time.perf_counter()
            volumes = generate(random.Random(18))
            print(f"generated in {time.perf_counter() - started:.1f} s: {volumes}")
            from portal.backoffice.accounts import create_user
            from portal.backoffice.models import Role
            from portal.transaction import unit_of_work

            with unit_of_work():
                create_user(None, email="bench@example.org", role=Role.ADMIN,
                            password="un mot de passe de benchmark")
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        client = app.test_client()
        with app.test_request_context():
            from portal.backoffice.auth import find_user
            user_id = find_user("bench@example.org").id
            sv = find_user("bench@example.org").session_version
        with client.session_transaction() as session:
            session["uid"], session["sv"] = user_id, sv
        print(f"{'page':44} {'status':>6} {'KB':>7} {'queries':>8} {'median ms':>10} "
              f"{'target ms':>10}")
        for path, target in (("/admin/bilans/?annee=2026", 500),
                             ("/admin/bilans/?du=2025-01-01&au=2026-12-31", None),
                             ("/admin/bilans/bilan.xlsx?annee=2026", None),
                             ("/admin/bilans/passages.csv?annee=2026", None),
                             ("/chiffres?annee=2026", 200)):
            queries.clear()
            client.get(path)
            count = len(queries)
            ms, status, size = timed(client, path)
            print(f"{path[:44]:44} {status:>6} {size / 1024:>7.1f} {count:>8} {ms:>10.1f} "
                  f"{target or '':>10}")
        page_view_overhead(app)


def page_view_overhead(app) -> None:
    """A public page with the counter on and off (the flush never in the request), and the
    flush of a busy process's counts, which runs after responses are sent."""
    client = app.test_client()
    agent = {"User-Agent": "Mozilla/5.0 Firefox/133.0"}
    results = {}
    for enabled in (False, True, False, True):
        app.config["PAGE_VIEWS_ENABLED"] = enabled
        ms, _status, _size = timed(client, "/accessibilite", runs=300, headers=agent)
        results.setdefault(enabled, []).append(ms)
    with app.test_request_context("/accessibilite", headers=agent):
        from flask import Response

        response = Response("x", mimetype="text/html")
        from flask import request
        request.url_rule = next(r for r in app.url_map.iter_rules() if r.rule == "/accessibilite")
        start = time.perf_counter()
        for _ in range(10000):
            pageviews.record(response)
        record_us = (time.perf_counter() - start) / 10000 * 1e6
    store = pageviews.counts(app)
    for n in range(200):
        store.pending[(date(2026, 12, 31), f"/page-{n}")] += 5
    start = time.perf_counter()
    pageviews.flush(app)
    flush_ms = (time.perf_counter() - start) * 1000
    off, on = min(results[False]), min(results[True])
    print(f"page view: record() {record_us:.1f} µs per request (target < 1000 µs); "
          f"/accessibilite median {off:.2f} ms off, {on:.2f} ms on; "
          f"flush of 200 pages' counts {flush_ms:.1f} ms, after the response")


if __name__ == "__main__":
    main()
