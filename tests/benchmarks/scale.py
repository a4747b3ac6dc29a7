"""`make bench ARGS="--scale 100"`: every public page at 1x and at 100x the demonstration
content, side by side (issue 13): SQL queries, median wall time and median process CPU time
(the machine may be busy with other work: CPU time is what the page costs this process),
output size, peak memory.

    .venv/bin/python -m tests.benchmarks --scale 100 [--repeat 20] [--requests 1000]
        [--db sqlite|postgresql]

The data set is written by scaled.py and goes in through load_content(), as an editor's
files would. Runs on temporary SQLite files; with BENCH_DATABASE_URL (or TEST_DATABASE_URL)
set, on that PostgreSQL database too (emptied first: never point it at real data). The page
cache is off, so every request renders. The participation pages get, at 100x, the sizes
their issues measured, written by their own benchmarks' generators (participation.py).
Then 1,000 mixed requests on the large set in a fresh process, to show that it survives
them (a crash is its exit status, not the end of this benchmark).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import MetaData, event, text

from portal import create_app
from portal.content import load_content
from portal.extensions import db
from tests.benchmarks.participation import PARTICIPATION_PAGES, add_participation
from tests.benchmarks.scaled import write_scaled_content

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "/", "/quartiers/alma", "/actualites/", "/actualites/flux.atom", "/chantiers/",
    "/chantiers/?page=2", "/chantiers/carte.js", "/chantiers.geojson", "/maison-du-projet/",
    "/maison-du-projet.ics", "/maison-du-projet/alma.ics", "/services/",
    "/services/?q=demenager+caf", "/services/?q=emploi+jeunes", "/donnees/services.json",
    "/donnees/structures.json", "/sitemap.xml", "/sitemap-1.xml", "/plan-du-site",
    *PARTICIPATION_PAGES,
]
BUDGET_MS, BUDGET_KB = 50, 200


def _empty(engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        return
    metadata = MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)


def build(url: str, content: Path):
    """An app on `url`, its schema migrated and `content` loaded."""
    app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0})
    with app.app_context():
        _empty(db.engine)
        upgrade(revision="heads")
        started = time.perf_counter()
        load_content(content)
        print(f"  loaded {content.name} in {time.perf_counter() - started:.0f} s")
    return app


def measure(app, path: str, repeat: int) -> dict:
    client = app.test_client()
    queries = []
    with app.app_context():
        engine = db.engine
    listener = lambda *a: queries.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)  # warm: compiled templates and SQL caches
        queries.clear()
        response = client.get(path)
        count = len(queries)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        cpu.append((time.process_time() - started_cpu) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    client.get(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"status": response.status_code, "queries": count,
            "ms": statistics.median(times), "cpu": statistics.median(cpu),
            "kb": len(response.data) / 1024, "peak_mb": peak / 1024 / 1024}


MIXED = """
import faulthandler, sys, time
faulthandler.enable()
from portal import create_app
app = create_app({{"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": {url!r},
                  "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0}})
client, paths, failed, statuses = app.test_client(), {paths!r}, 0, {{}}
started = time.perf_counter()
for n in range({count}):
    status = client.get(paths[n % len(paths)]).status_code
    statuses[status] = statuses.get(status, 0) + 1
print("%d requests in %.0f s, statuses %s" % ({count}, time.perf_counter() - started,
      dict(sorted(statuses.items()))))
"""


def mixed(url: str, paths: list[str], count: int) -> str:
    """`count` requests over every page and a few details, in turn, by a fresh process: what
    it answered, and how it ended (a negative exit status is a signal: a crash)."""
    extra = ["/chantiers/?page=3", "/maison-du-projet/?semaine=2026-12-07", "/services/?q=caf",
             "/sitemap-1.xml", "/donnees/services.json?page=2", "/contributions/?page=2",
             "/agenda/?quartier=alma"]
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MIXED.format(url=url, paths=paths + extra,
                                                            count=count))],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PORTAL_ENV": "development"})
    if done.returncode:
        return f"process ended with status {done.returncode}: {done.stderr[-2000:]}"
    return f"{done.stdout.strip()}; process alive (exit 0)"


def run(url_for_factor, factor: int, repeat: int, requests: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results, pages = {}, {}
        for scale in (1, factor):
            content = (ROOT / "content" if scale == 1 else
                       write_scaled_content(ROOT / "content", Path(tmp) / f"x{scale}", scale))
            url = url_for_factor(tmp, scale)
            app = build(url, content)
            names = add_participation(app, 1 if scale == 1 else factor)
            pages[scale] = [path.format(**names) for path in PAGES]
            results[scale] = [measure(app, path, repeat) for path in pages[scale]]
            with app.app_context():
                db.engine.dispose()
            if scale == factor and requests:
                print(f"  {requests} mixed requests at {scale}x: "
                      f"{mixed(url, pages[scale], requests)}", flush=True)
    print(f"\n{label}: 1x vs {factor}x (median of {repeat}, page cache off; budget "
          f"{BUDGET_MS} ms, {BUDGET_KB} KB; cpu = this process's CPU time, ms = wall)")
    print(f"{'page':36} {'q 1x':>4} {'q':>4} {'ms 1x':>6} {'cpu 1x':>6} {'ms':>7} {'cpu':>6} "
          f"{'KB 1x':>6} {'KB':>6} {'MB':>5}")
    for n, path in enumerate(pages[factor]):
        one, big = results[1][n], results[factor][n]
        flag = " !" if big["cpu"] > BUDGET_MS or big["kb"] > BUDGET_KB or big["status"] != 200 \
            else (" ~" if big["ms"] > BUDGET_MS else "")
        print(f"{path[:36]:36} {one['queries']:>4} {big['queries']:>4} {one['ms']:>6.1f} "
              f"{one['cpu']:>6.1f} {big['ms']:>7.1f} {big['cpu']:>6.1f} {one['kb']:>6.1f} "
              f"{big['kb']:>6.1f} {big['peak_mb']:>5.1f}{flag}")
    print("! over budget by CPU time, size or status; ~ over by wall time only (a busy machine)")


def main(factor: int, repeat: int = 20, requests: int = 1000, only: str | None = None) -> None:
    """Both databases in turn; `only` ("sqlite" or "postgresql") runs one of them."""
    if only in (None, "sqlite"):
        run(lambda tmp, scale: f"sqlite:///{Path(tmp) / f'x{scale}.db'}", factor, repeat,
            requests, "SQLite")
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if only in (None, "postgresql") and url and url.startswith("postgresql"):
        run(lambda tmp, scale: url, factor, repeat, requests, "PostgreSQL")
