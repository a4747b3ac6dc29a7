"""`make bench ARGS="--search"`: directory searches at 3,500 services (the 100x data set) and
at 50,000 (its rows copied in SQL, so the index is maintained by the database as for any
write), on SQLite and, with BENCH_DATABASE_URL or TEST_DATABASE_URL, on PostgreSQL (emptied
first). Prints the median time of the page and of its search query alone, wall and this
process's CPU time (what a busy machine does not inflate).
Budget (issue 13): a two-word search under 20 ms at 3,500 services, under 50 ms at 50,000.
"""

import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, literal, select

from portal.extensions import db
from tests.benchmarks.scale import ROOT, build
from tests.benchmarks.scaled import write_scaled_content

QUERIES = ["/services/?q=demenager+caf", "/services/?q=emploi+jeunes",
           "/services/?q=aide+logement", "/services/?q=docteur"]
TARGET = 50_000


def _median_ms(call, repeat: int) -> tuple[float, float]:
    """(wall, CPU) medians in milliseconds."""
    call()
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        cpu.append((time.process_time() - started_cpu) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statistics.median(cpu)


def _query_ms(app, path: str, repeat: int) -> tuple[float, float]:
    from portal.directory.queries import Filters, search_services

    q = path.split("q=", 1)[1].replace("+", " ")
    with app.test_request_context(path):
        return _median_ms(lambda: search_services(Filters(q=q)), repeat)


def _copy_services(app, target: int) -> int:
    """Copies of every service (same structure, id suffixed) up to `target` rows."""
    from portal.directory.models import Service

    table = Service.__table__
    names = [column.name for column in table.columns]
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(table))
        copy = 0
        while count < target:
            copy += 1
            columns = [table.c.id + literal(f"~{copy}") if name == "id" else table.c[name]
                       for name in names]
            source = select(*columns).where(~table.c.id.contains("~"))
            db.session.execute(insert(table).from_select(names, source))
            count = db.session.scalar(select(func.count()).select_from(table))
        db.session.commit()
        return count


def run(url: str, tmp: str, repeat: int, label: str) -> None:
    content = write_scaled_content(ROOT / "content", Path(tmp) / "x100", 100,
                                   kinds=("services",))
    app = build(url, content)
    print(f"\n{label}: directory search (median of {repeat}; page = whole request)")
    with app.app_context():
        services = _copy_services(app, 0)
    for size in (services, TARGET):
        if size == TARGET:
            size = _copy_services(app, TARGET)
        client = app.test_client()
        for path in QUERIES:
            page, page_cpu = _median_ms(lambda p=path, c=client: c.get(p), repeat)
            query, query_cpu = _query_ms(app, path, repeat)
            print(f"  {size:>6} services  {path:34} page {page:6.1f} ms (cpu {page_cpu:5.1f})"
                  f"  query {query:6.1f} ms (cpu {query_cpu:5.1f})")
    with app.app_context():
        db.engine.dispose()


def main(repeat: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'search.db'}", tmp, repeat, "SQLite")
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        with tempfile.TemporaryDirectory() as tmp:
            run(url, tmp, repeat, "PostgreSQL")
