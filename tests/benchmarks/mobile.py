"""`make bench ARGS="--mobile"`: the home page and the Maison Mobile feeds with 100x the
visits (800 series), on SQLite: the first request (nothing cached) and the median of the
next ones (page cache off), wall and this process's CPU time.
"""

import statistics
import tempfile
import time
from pathlib import Path

from portal.extensions import db
from tests.benchmarks.scale import ROOT, build
from tests.benchmarks.scaled import write_scaled_content

PAGES = ["/", "/maison-du-projet/", "/maison-du-projet.ics", "/maison-du-projet/alma.ics"]


def _timed(client, path: str) -> tuple[float, int, float]:
    """(wall ms, size, this process's CPU ms) of one request."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    return ((time.perf_counter() - started) * 1000, len(response.data),
            (time.process_time() - started_cpu) * 1000)


def main(factor: int = 100, repeat: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = write_scaled_content(ROOT / "content", Path(tmp) / "x", factor,
                                       kinds=("visits",))
        app = build(f"sqlite:///{Path(tmp) / 'mobile.db'}", content)
        client = app.test_client()
        with app.app_context():
            engine = db.engine
        print(f"\nMaison Mobile at {factor}x (SQLite; first request, then median of {repeat})")
        for path in PAGES:
            first, size, first_cpu = _timed(client, path)
            runs = [_timed(client, path) for _ in range(repeat)]
            print(f"  {path:30} first {first:7.1f} ms (cpu {first_cpu:7.1f})  median "
                  f"{statistics.median(r[0] for r in runs):6.1f} ms (cpu "
                  f"{statistics.median(r[2] for r in runs):5.1f})  {size / 1024:7.1f} KB")
        engine.dispose()
