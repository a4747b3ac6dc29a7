"""`make bench ARGS="--scale 100"`: every public page at 1x and at 100x the demonstration
content, side by side (issue 13): SQL queries, median time, output size, peak memory.

    .venv/bin/python -m tests.benchmarks --scale 100 [--repeat 20] [--requests 1000]

The data set is written by scaled.py and goes in through load_content(), as an editor's
files would. Runs on temporary SQLite files; with BENCH_DATABASE_URL (or TEST_DATABASE_URL)
set, on that PostgreSQL database too (emptied first: never point it at real data). The page
cache is off, so every request renders. Then 1,000 mixed requests on the large set, to show
that the process survives them.
"""

import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import MetaData, event, text

from portal import create_app
from portal.content import load_content
from portal.extensions import db
from tests.benchmarks.scaled import write_scaled_content

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "/", "/quartiers/alma", "/actualites/", "/actualites/flux.atom", "/chantiers/",
    "/chantiers/?page=2", "/chantiers/carte.js", "/chantiers.geojson", "/maison-du-projet/",
    "/maison-du-projet.ics", "/maison-du-projet/alma.ics", "/services/",
    "/services/?q=demenager+caf", "/services/?q=emploi+jeunes", "/donnees/services.json",
    "/donnees/structures.json", "/sitemap.xml", "/sitemap-1.xml", "/plan-du-site",
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
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    client.get(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"status": response.status_code, "queries": count,
            "ms": statistics.median(times), "kb": len(response.data) / 1024,
            "peak_mb": peak / 1024 / 1024}


def mixed(app, count: int) -> int:
    """`count` requests over every page and a few details, in turn: how many failed."""
    client, failures = app.test_client(), 0
    extra = ["/chantiers/?page=3", "/maison-du-projet/?semaine=2026-12-07", "/services/?q=caf",
             "/sitemap-1.xml", "/donnees/services.json?page=2"]
    paths = PAGES + extra
    for n in range(count):
        if client.get(paths[n % len(paths)]).status_code >= 500:
            failures += 1
    return failures


def run(url_for_factor, factor: int, repeat: int, requests: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for scale in (1, factor):
            content = (ROOT / "content" if scale == 1 else
                       write_scaled_content(ROOT / "content", Path(tmp) / f"x{scale}", scale))
            app = build(url_for_factor(tmp, scale), content)
            results[scale] = {path: measure(app, path, repeat) for path in PAGES}
            if scale == factor and requests:
                failed = mixed(app, requests)
                print(f"  {requests} mixed requests at {scale}x: {failed} answered 5xx, "
                      "process alive")
            with app.app_context():
                db.engine.dispose()
    print(f"\n{label}: 1x vs {factor}x (median of {repeat}, page cache off; budget "
          f"{BUDGET_MS} ms, {BUDGET_KB} KB)")
    print(f"{'page':34} {'q 1x':>5} {'q':>4} {'ms 1x':>7} {'ms':>7} {'KB 1x':>7} {'KB':>7} "
          f"{'MB 1x':>6} {'MB':>6}")
    for path in PAGES:
        one, big = results[1][path], results[factor][path]
        flag = " !" if big["ms"] > BUDGET_MS or big["kb"] > BUDGET_KB or big["status"] != 200 \
            else ""
        print(f"{path[:34]:34} {one['queries']:>5} {big['queries']:>4} {one['ms']:>7.1f} "
              f"{big['ms']:>7.1f} {one['kb']:>7.1f} {big['kb']:>7.1f} {one['peak_mb']:>6.1f} "
              f"{big['peak_mb']:>6.1f}{flag}")


def main(factor: int, repeat: int = 20, requests: int = 1000) -> None:
    run(lambda tmp, scale: f"sqlite:///{Path(tmp) / f'x{scale}.db'}", factor, repeat,
        requests, "SQLite")
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        run(lambda tmp, scale: url, factor, repeat, requests, "PostgreSQL")
