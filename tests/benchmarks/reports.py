"""Benchmark of the bilans (issue 18), printing times: two years of generated activity,
then /admin/bilans/ for a year and all quartiers, its XLSX, /chiffres, and what counting a
page view adds to a request.

    .venv/bin/python -m tests.benchmarks.reports     # BENCH_DATABASE_URL for PostgreSQL

Volumes: 3,000 Maison Mobile occurrences (29 weekly series over two years, ~5 % cancelled,
people received on each held one), 5 million page views as per-day counts (200 pages x 730
days), 100,000 consultation answers (48 campaigns of one or two quartiers, five channels),
2,000 rendez-vous with 40,000 registrations, 10,000 contributions with their timelines
(answers, partners, resolutions, reopenings), 4,000 subscribers and 40,000 messages. All
written with bulk inserts. BENCH_SCALE=0.2 divides the participation, cadre de vie and
messages volumes (a quick run); page views and visits stay as they are.

Each time is printed as wall (median ms) and CPU (median ms: time.process_time() of this
process, the app and on SQLite the database too, plus on PostgreSQL the CPU its server
processes for this database spent, read from /proc), since other work on the machine
stretches wall times. Then each block of
the bilan is timed alone with its statement count. BENCH_KEEP=/path/bench.db (SQLite) or
BENCH_KEEP=1 with BENCH_DATABASE_URL keeps the generated data for the next run (migrations
still run on it, so a new index is measured on the same rows).
"""

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert

from portal import clock, create_app
from portal.clock import PARIS
from portal.consultations.models import Campaign, Response, consultation_quartier
from portal.contributions.models import Contribution, ContributionUpdate, Kind, Status
from portal.contributions.texts import CATEGORIES, PARTNERS
from portal.events.models import Event, EventStatus, Registration, RegistrationStatus
from portal.extensions import db
from portal.messages.models import Message, MessageState, Subscription, subscription_quartier
from portal.mobile_house.models import Visit, VisitCancellation, VisitReport
from portal.publication import PublicationStatus
from portal.quartiers import Quartier
from portal.reports import pageviews
from portal.reports.models import PageView
from tests.benchmarks.scale import _empty

FIRST = date(2025, 1, 1)
DAYS = 730
NOW = datetime(2026, 12, 31, 12, tzinfo=PARIS)
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CHUNK = 20000


def bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def moment(rng: random.Random, first_day: int = 0, last_day: int = DAYS - 1) -> datetime:
    """A UTC instant on a day of the two years, in the daytime in Paris."""
    day = FIRST + timedelta(days=rng.randint(first_day, last_day))
    return datetime.combine(day, clock_time(rng.randint(8, 20), rng.randint(0, 59)),
                            tzinfo=PARIS).astimezone(UTC)


def generate_participation(rng: random.Random, quartiers: list) -> dict:
    """Campaigns and their answers, rendez-vous and their registrations."""
    stamps = {"created_at": clock.utcnow(), "updated_at": clock.utcnow()}
    campaigns, links = [], []
    for n in range(48):
        campaigns.append({"id": n + 1, "slug": f"bench-c{n}", "title": f"Concertation {n}",
                          "opens_at": moment(rng, 15 * n, 15 * n),
                          "closes_at": moment(rng, 15 * n + 40, 15 * n + 40),
                          "publication_status": PublicationStatus.PUBLISHED, **stamps})
        links.append({"campaign_id": n + 1, "quartier_id": quartiers[n % 4].id})
        if n % 3 == 0:
            links.append({"campaign_id": n + 1, "quartier_id": quartiers[(n + 1) % 4].id})
    bulk(Campaign, campaigns)
    db.session.execute(insert(consultation_quartier), links)
    channels = ["online"] * 6 + ["paper", "phone", "mobile_house", "workshop"]
    answers = []
    for n in range(int(100_000 * SCALE)):
        c = rng.randrange(48)
        answers.append({"campaign_id": c + 1, "channel": rng.choice(channels),
                        "submitted_at": moment(rng, 15 * c, min(15 * c + 40, DAYS - 1)),
                        "idempotency_key": f"k{n}", "flagged": False})
    bulk(Response, answers)
    events, registrations = [], []
    now = clock.utcnow()
    for n in range(int(2_000 * SCALE)):
        start = moment(rng)
        registration = n % 3 != 0
        events.append({"id": n + 1, "slug": f"bench-e{n}", "quartier_id": quartiers[n % 4].id,
                       "kind": "reunion-publique", "title": f"Rendez-vous {n}",
                       "starts_at": start, "ends_at": start + timedelta(hours=2),
                       "place_name": "Salle", "publication_status": PublicationStatus.PUBLISHED,
                       "status": EventStatus.CANCELLED if n % 25 == 0 else EventStatus.SCHEDULED,
                       "registration": registration, "capacity": 40 if registration else None,
                       "attendance": rng.randint(5, 40) if start < now and n % 4 else None,
                       **stamps})
        if registration:
            for r in range(30):  # 2/3 of the events take 30: 40,000 in all
                registrations.append({
                    "event_id": n + 1, "contact_key": f"mail:{n}-{r}@example.org",
                    "people": rng.choice((1, 1, 1, 2, 3)), "channel": rng.choice(
                        ("online", "online", "online", "phone", "mobile_house", "desk")),
                    "status": RegistrationStatus.CANCELLED if r % 10 == 0
                    else RegistrationStatus.CONFIRMED, "created_at": start - timedelta(days=3)})
    bulk(Event, events)
    bulk(Registration, registrations)
    return {"answers": len(answers), "events": len(events),
            "registrations": len(registrations)}


def generate_living(rng: random.Random, quartiers: list) -> dict:
    """Contributions with their timelines: answered, passed to partners, resolved, some
    reopened."""
    contributions, updates = [], []
    categories, partners = list(CATEGORIES), list(PARTNERS)
    now = clock.utcnow()
    for n in range(int(10_000 * SCALE)):
        submitted = moment(rng, 0, DAYS - 2)
        steps = [(Status.RECEIVED, "", submitted)]
        at = submitted
        fate = rng.random()
        if fate < 0.6:
            at += timedelta(hours=rng.randint(4, 400))
            partner = rng.choice(partners)
            steps.append((Status.TRANSMITTED, partner, at))
            if fate < 0.45:
                at += timedelta(hours=rng.randint(24, 900))
                steps.append((Status.RESOLVED, "", at))
                if fate < 0.05:  # reopened after "résolu"
                    at += timedelta(hours=rng.randint(24, 200))
                    steps.append((Status.IN_PROGRESS, "", at))
        elif fate < 0.7:
            steps.append((Status.NOT_RETAINED, "", at + timedelta(hours=5)))
        steps = [s for s in steps if s[2] < now]
        last, partner = steps[-1][0], next((s[1] for s in reversed(steps) if s[1]), "")
        answered = submitted + timedelta(hours=rng.randint(2, 300)) if fate < 0.8 else None
        answered = answered if answered and answered < now else None
        contributions.append({
            "id": n + 1, "quartier_id": quartiers[n % 4].id, "kind": Kind.REPORT,
            "category": rng.choice(categories), "text": "Signalement", "status": last,
            "partner": partner, "answer": "Réponse" if answered else "",
            "answered_at": answered, "first_answered_at": answered,
            "channel": rng.choice(("online", "online", "phone", "mobile_house", "desk")),
            "idempotency_key": f"bench-k{n}", "submitted_at": submitted,
            "closed_at": steps[-1][2] if last in (Status.RESOLVED, Status.NOT_RETAINED)
            else None, "last_news_at": steps[-1][2],
            "publication_status": PublicationStatus.REJECTED if last is Status.NOT_RETAINED
            else PublicationStatus.PUBLISHED})
        updates += [{"contribution_id": n + 1, "status": status, "partner": p, "at": when}
                    for status, p, when in steps]
    bulk(Contribution, contributions)
    bulk(ContributionUpdate, updates)
    return {"contributions": len(contributions), "timeline_steps": len(updates)}


def generate_messages(rng: random.Random, quartiers: list) -> dict:
    subscriptions, links, messages = [], [], []
    for n in range(int(4_000 * SCALE)):
        sms = n % 3 == 0
        subscriptions.append({
            "id": n + 1, "channel": "sms" if sms else "email",
            "address": f"+336{n:08d}" if sms else f"s{n}@example.org", "topics": ["actualites"],
            "unsubscribe_token": f"u{n}", "confirmed_at": moment(rng) if n % 10 else None,
            "code_attempts": 0})
        for q in rng.sample(quartiers, rng.choice((1, 1, 2))):
            links.append({"subscription_id": n + 1, "quartier_id": q.id})
    bulk(Subscription, subscriptions)
    bulk(subscription_quartier, links)
    for n in range(int(40_000 * SCALE)):
        when = moment(rng)
        messages.append({"channel": rng.choice(("email", "email", "sms")),
                         "recipient": f"s{n % 4000}@example.org",
                         "kind": rng.choice(("digest", "digest", "confirm", "event_reminder")),
                         "state": MessageState.DEAD if n % 50 == 0 else MessageState.SENT,
                         "created_at": when, "next_attempt_at": when, "sent_at": when})
    bulk(Message, messages)
    return {"subscribers": len(subscriptions), "messages": len(messages)}


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
    bulk(PageView, rows)
    volumes = {"occurrences": occurrences, "cancelled": len(cancellations),
               "page_view_rows": len(rows), "page_views": total}
    volumes |= generate_participation(rng, quartiers)
    volumes |= generate_living(rng, quartiers)
    volumes |= generate_messages(rng, quartiers)
    db.session.commit()
    return volumes


def timed(client, path: str, runs: int = 7, **kwargs) -> tuple[float, int, int]:
    ms, _cpu, status, size = timed_cpu(client, path, runs, **kwargs)
    return ms, status, size


SERVER_CPU: list = []  # [engine] on PostgreSQL: its server processes' CPU is read too


def server_cpu_ms() -> float:
    """CPU (user + system) of the PostgreSQL server processes serving this database, read
    from /proc (the server runs on this machine), in ms; 0 on SQLite, whose work is in this
    process's own CPU time."""
    if not SERVER_CPU:
        return 0.0
    with SERVER_CPU[0].connect() as connection:
        pids = connection.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()").scalars()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def timed_cpu(client, path: str, runs: int = 7, **kwargs) -> tuple[float, float, int, int]:
    """Median wall ms, median CPU ms (this process, plus PostgreSQL's server processes),
    status, size of `runs` requests."""
    client.get(path, **kwargs)  # warm: templates compiled, the pool connected
    times, cpu, status, size = [], [], 0, 0
    for _ in range(runs):
        start, start_cpu, start_server = time.perf_counter(), time.process_time(), server_cpu_ms()
        response = client.get(path, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000 + server_cpu_ms() - start_server)
        status, size = response.status_code, len(response.data)
    return statistics.median(times), statistics.median(cpu), status, size


def block_profile(app, queries: list, runs: int = 5) -> None:
    """Each block of a year's bilan for all quartiers, alone: statements, wall and CPU ms."""
    from portal.quartiers import all_quartiers
    from portal.reports import report
    from portal.reports.period import Period

    print(f"{'block (annee=2026, all quartiers)':44} {'queries':>8} {'median ms':>10} "
          f"{'CPU ms':>8}")
    with app.test_request_context("/admin/bilans/"):
        period = Period("annee", date(2026, 1, 1), date(2026, 12, 31))
        quartiers = all_quartiers()
        for block in report.BLOCKS:
            block(period, quartiers)  # warm
            queries.clear()
            block(period, quartiers)
            count = len(queries)
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                start_server = server_cpu_ms()
                block(period, quartiers)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000 + server_cpu_ms()
                           - start_server)
            name = f"{block.__module__.rsplit('.', 1)[-1]}.block"
            print(f"{name:44} {count:>8} {statistics.median(times):>10.1f} "
                  f"{statistics.median(cpu):>8.1f}")
            db.session.rollback()


def main() -> None:
    keep = os.environ.get("BENCH_KEEP")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_file = keep if keep and keep != "1" else Path(tmp) / "bench.db"
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{sqlite_file}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0,
                          "PAGE_VIEWS_FLUSH_SECONDS": 3600})
        clock._system_now = lambda: NOW
        with app.app_context():
            from portal.backoffice.accounts import create_user
            from portal.backoffice.auth import find_user
            from portal.backoffice.models import Role
            from portal.transaction import unit_of_work

            kept = False
            if keep and (url.startswith("postgresql") or Path(sqlite_file).exists()):
                upgrade(revision="heads")
                with app.test_request_context():
                    kept = find_user("bench@example.org") is not None
                db.session.remove()  # no transaction left open: _empty would wait on it
            if kept:
                print(f"kept data: {db.session.query(PageView).count()} page-view rows")
            else:
                _empty(db.engine)  # alembic_version too: drop_all would leave it, PG empty
                upgrade(revision="heads")
                started = time.perf_counter()
                volumes = generate(random.Random(18))
                print(f"generated in {time.perf_counter() - started:.1f} s: {volumes}")
                with unit_of_work():
                    create_user(None, email="bench@example.org", role=Role.ADMIN,
                                password="un mot de passe de benchmark")
            if db.engine.dialect.name == "postgresql":
                SERVER_CPU.append(db.engine)
                with db.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE")
            else:
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("ANALYZE")
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        client = app.test_client()
        with app.test_request_context():
            from portal.backoffice.auth import find_user
            user_id = find_user("bench@example.org").id
            sv = find_user("bench@example.org").session_version
        with client.session_transaction() as session:
            session["uid"], session["sv"] = user_id, sv
        print(f"database: {url.split(':')[0]}")
        block_profile(app, queries)
        print(f"{'page':44} {'status':>6} {'KB':>7} {'queries':>8} {'median ms':>10} "
              f"{'CPU ms':>8} {'target ms':>10}")
        for path, target in (("/admin/bilans/?annee=2026", 500),
                             ("/admin/bilans/?du=2025-01-01&au=2026-12-31", None),
                             ("/admin/bilans/bilan.xlsx?annee=2026", None),
                             ("/admin/bilans/passages.csv?annee=2026", None),
                             ("/admin/bilans/delais.csv?annee=2026", None),
                             ("/chiffres?annee=2026", 200)):
            queries.clear()
            client.get(path)
            count = len(queries)
            ms, cpu, status, size = timed_cpu(client, path)
            print(f"{path[:44]:44} {status:>6} {size / 1024:>7.1f} {count:>8} {ms:>10.1f} "
                  f"{cpu:>8.1f} {target or '':>10}")
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
