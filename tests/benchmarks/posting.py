"""POSTs at 50 at once to a real multi-process server, for the participation benchmarks
(events.py, consultations.py, contributions.py): gunicorn with the production settings'
shape (2 worker processes x 4 threads, deploy/gunicorn.conf.py's gthread workers), no nginx.

What is printed for each POST:
- wall time of each POST (p50, p95, p99), sent in bursts of 50 at once;
- the server's CPU per POST: the workers' user + system time (from /proc) over the bursts,
  divided by the POSTs. Other processes on the machine stretch wall times, not this;
- in process, one POST at a time (the test client): its CPU and its SQL statements.
"""

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event as sa_event

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")
Form = Callable[[int], tuple[str, dict]]  # n -> (path, fields)


@dataclass
class Figures:
    times: list[float]  # ms, sorted
    cpu_ms: float  # server CPU per POST
    statuses: set

    def p(self, q: float) -> float:
        return self.times[min(len(self.times) - 1, int(len(self.times) * q))]

    def line(self) -> str:
        return (f"p50 {statistics.median(self.times):5.0f}  p95 {self.p(0.95):5.0f}  "
                f"p99 {self.p(0.99):5.0f} ms wall, server CPU {self.cpu_ms:5.1f} ms/POST "
                f"(HTTP {','.join(map(str, sorted(self.statuses)))})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@contextlib.contextmanager
def gunicorn(config: dict, workers: int = 2, threads: int = 4):
    """A gunicorn server of the app with `config` (JSON-able settings); yields its URL."""
    port = _free_port()
    env = {**os.environ, "BENCH_APP_CONFIG": json.dumps(config), "PORTAL_ENV": "development"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT),
         "tests.benchmarks.served:app"], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_workers(process.pid)) < workers or not _answers(port):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()  # noqa: S310
        return True
    except (OSError, urllib.error.URLError):
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(base: str, path: str, fields: dict) -> tuple[float, int]:
    request = urllib.request.Request(  # noqa: S310  (the local server)
        base + path, data=urllib.parse.urlencode(fields, doseq=True).encode(), method="POST",
        headers={"Host": "localhost"})
    started = time.perf_counter()
    try:
        with _opener.open(request, timeout=120) as response:  # the POST alone, no redirect
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def bursts(base: str, master: int, form: Form, start: int, concurrency: int = 50,
           rounds: int = 3) -> Figures:
    """`rounds` bursts of `concurrency` POSTs sent at once (a barrier), forms start, start+1..."""
    times, statuses, cpu = [], set(), 0.0
    with ThreadPoolExecutor(concurrency) as pool:
        for r in range(rounds):
            barrier = threading.Barrier(concurrency)

            def one(n: int, barrier=barrier):
                path, fields = form(n)
                barrier.wait()
                return _post(base, path, fields)

            pids = _workers(master)
            before = _cpu_seconds(pids)
            results = list(pool.map(one, range(start + r * concurrency,
                                               start + (r + 1) * concurrency)))
            cpu += _cpu_seconds(pids) - before
            times += [t for t, _ in results]
            statuses |= {s for _, s in results}
    return Figures(sorted(times), cpu * 1000 / (concurrency * rounds), statuses)


def warm(base: str, form: Form, start: int, count: int = 16) -> None:
    """Each worker and thread imports and compiles what the POST needs before measuring."""
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: _post(base, *form(n)), range(start, start + count)))


def in_process(app, form: Form, start: int, count: int = 20) -> tuple[float, int]:
    def post(n: int):
        path, fields = form(n)
        return client.post(path, data=fields)

    """(CPU ms per POST, SQL statements of one POST), one at a time through the test client."""
    from portal.extensions import db

    client = app.test_client()
    for n in range(start, start + 3):
        post(n)
    statements = []

    def count_statement(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count_statement)
    post(start + 3)
    sa_event.remove(engine, "before_cursor_execute", count_statement)
    began = time.process_time()
    for n in range(start + 4, start + 4 + count):
        post(n)
    return (time.process_time() - began) * 1000 / count, len(statements)


def served_config(app, **extra) -> dict:
    """The JSON-able settings gunicorn's workers start from: the bench app's database and
    key, CSRF off (each POST is one request, not a page then a form), limits out of the way."""
    return {"PORTAL_ENV": "development", "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0, "WTF_CSRF_ENABLED": False,
            **extra}


def measure(app, name: str, form: Form, start: int = 0, **config) -> Figures:
    """Print one POST's figures: in process, then 3 bursts of 50 at once on gunicorn."""
    app.config.update(config, WTF_CSRF_ENABLED=False)
    cpu, statements = in_process(app, form, start)
    with gunicorn(served_config(app, **config)) as (base, master):
        warm(base, form, start + 100)
        figures = bursts(base, master, form, start + 200)
    print(f"{name}: {statements} SQL statements, {cpu:.1f} ms CPU alone; 50 at once on "
          f"gunicorn 2x4: {figures.line()}", flush=True)
    return figures
