"""`make bench ARGS="--mobile"`: the home page and the Maison Mobile feeds with 100x the
visits (800 series), on SQLite: the first request (nothing cached) and the median of the
next ones (page cache off).
"""

import statistics
import tempfile
import time
from pathlib import Path

from portal.extensions import db
from tests.benchmarks.scale import ROOT, build
from tests.benchmarks.scaled import write_scaled_content

PAGES = ["/", "/maison-du-projet/", "/maison-du-projet.ics", "/maison-du-projet/alma.ics"]


def _timed(client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path)
    return (time.perf_counter() - started) * 1000, len(response.data)


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
            first, size = _timed(client, path)
            times = [_timed(client, path)[0] for _ in range(repeat)]
            print(f"  {path:30} first {first:7.1f} ms  median {statistics.median(times):7.1f} ms"
                  f"  {size / 1024:7.1f} KB")
        engine.dispose()
