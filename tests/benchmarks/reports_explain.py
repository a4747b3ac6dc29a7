"""The statements of a year's bilan for all quartiers, each with its time and its plan
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL), on the data a run of
tests/benchmarks/reports.py kept:

    BENCH_KEEP=/tmp/bench.db .venv/bin/python -m tests.benchmarks.reports    # once
    BENCH_KEEP=/tmp/bench.db .venv/bin/python -m tests.benchmarks.reports_explain
    BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m tests.benchmarks.reports_explain

Prints, per block, each statement's wall ms (median of 3), its first line, and its plan:
"SCAN" of a table (not "USING COVERING INDEX") or "Seq Scan" is what to look at.
"""

import os
import statistics
import time
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import event

from portal import clock, create_app
from portal.extensions import db
from tests.benchmarks.reports import NOW


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{os.environ['BENCH_KEEP']}"
    app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "localhost", "REPORTS_PAGE_VIEWS_CACHE": False})
    clock._system_now = lambda: NOW
    from portal.quartiers import all_quartiers
    from portal.reports import report
    from portal.reports.period import Period

    with app.app_context():
        upgrade(revision="heads")  # the indexes of the code measured
    with app.test_request_context("/admin/bilans/"):
        postgres = db.engine.dialect.name == "postgresql"
        period = Period("annee", date(2026, 1, 1), date(2026, 12, 31))
        quartiers = all_quartiers()
        seen: list = []

        def keep(conn, cursor, statement, parameters, context, executemany):
            seen.append((statement, parameters))

        for block in report.BLOCKS:
            seen.clear()
            event.listen(db.engine, "before_cursor_execute", keep)
            block(period, quartiers)
            event.remove(db.engine, "before_cursor_execute", keep)
            statements = list(seen)
            print(f"== {block.__module__}: {len(statements)} statements")
            raw = db.session.connection().connection.driver_connection
            for statement, parameters in statements:
                times = []
                for _ in range(3):
                    cursor = raw.cursor()
                    start = time.perf_counter()
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                    times.append((time.perf_counter() - start) * 1000)
                cursor = raw.cursor()
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                cursor.execute(prefix + statement, parameters)
                plan = [row[-1] if not postgres else row[0] for row in cursor.fetchall()]
                first = " ".join(statement.split())[:150]
                print(f"  {statistics.median(times):8.1f} ms  {first}")
                for line in plan:
                    print(f"      {line}")
            db.session.rollback()


if __name__ == "__main__":
    main()
