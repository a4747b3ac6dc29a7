"""`make prodcheck`: the portal as README's Production section runs it, on this machine, and
what holds under load and failure.

It starts a private Redis, a fresh PostgreSQL database (on the local server), two gunicorn
servers with the command line of deploy/systemd/portal-web@.service, a message worker with that
of portal-worker.service sending to a local SMTP server (aiosmtpd), a minimal Flask view under
the same gunicorn settings (the yardstick), and nginx with deploy/nginx/portal.conf (only the
ports changed). Then it prints what it checks, a table of what held, and the figures; it exits
1 if anything failed. It never touches the system's Redis or other databases.

Every port is a free one picked at start, so two checks can run at once; PRODCHECK_PG names the
PostgreSQL server (default postgresql://postgres@127.0.0.1:5432) and PRODCHECK_DATABASE the
database it creates (default prodcheck_<pid>; it must not exist).

Each participation feature adds its case: a function `check_<name>(run) -> (ok, detail)`
listed in CHECKS.
"""

import contextlib
import html
import http.client
import json
import math
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("PRODCHECK_PG", "postgresql://postgres@127.0.0.1:5432")
SYSTEMD = DEPLOY / "systemd"
# What the check adds to a copy of content/: an open campaign, a rendez-vous with 20 places.
CAMPAIGN = {
    "slug": "prodcheck-concertation", "title": "Concertation de make prodcheck",
    "summary": "200 réponses en même temps.", "quartiers": ["alma"], "opens_in_days": -1,
    "closes_in_days": 10, "results": "live",
    "sections": [{"title": "La question", "questions": [{
        "kind": "single", "label": "Quel banc préférez-vous ?", "required": True,
        "options": ["En bois", "En pierre", "En métal"]}]}],
}
EVENT = {
    "slug": "prodcheck-atelier", "quartier": "alma", "kind": "atelier",
    "title": "Atelier de make prodcheck", "description": "20 places pour 50 inscriptions.",
    "in_days": 5, "time": "18:00-20:00", "place": "Salle Watremez",
    "address": "Rue de l'Alma, 59100 Roubaix", "lat": 50.6989, "lon": 3.1671,
    "organiser": "Équipe projet", "capacity": 20, "deadline_days_before": 1,
}
REGISTRANTS = 50
EMAIL, PASSWORD = "prodcheck@ville-roubaix.example", secrets.token_hex(12)


# Pieces with unit tests (tests/production/test_check.py) ---------------------------------

def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`, 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Load:
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.statuses) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def figures(self) -> str:
        return f"{self.rps:7.1f} req/s  p95 {self.p(95):6.1f} ms  p99 {self.p(99):6.1f} ms"


def site_config(text: str, listen_port: int, upstream_ports: list[int]) -> str:
    """deploy/nginx/portal.conf with its `listen` port and upstream servers' ports replaced:
    everything else is the production file as it is."""
    listens = re.findall(r"^\s*listen 80;$", text, flags=re.M)
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", text, flags=re.M)
    if len(listens) != 1 or len(servers) != len(upstream_ports):
        raise ValueError("portal.conf no longer has one `listen 80;` and "
                         f"{len(upstream_ports)} upstream servers: update deploy/check.py")
    text = re.sub(r"^(\s*)listen 80;$", rf"\g<1>listen 127.0.0.1:{listen_port};", text,
                  flags=re.M)
    ports = iter(upstream_ports)
    return re.sub(r"(server 127\.0\.0\.1:)\d+", lambda m: f"{m.group(1)}{next(ports)}", text)


def exec_starts(unit_text: str, venv_bin: Path = VENV_BIN) -> list[list[str]]:
    """Every ExecStart command of a systemd unit (a oneshot may have several), with the
    production virtualenv replaced by this one: the check runs the units' own command lines."""
    return [[word.replace("/srv/portal/.venv/bin", str(venv_bin)) for word in shlex.split(line)]
            for line in re.findall(r"^ExecStart=(.*)$", unit_text, flags=re.M)]


def exec_start(unit_text: str, venv_bin: Path = VENV_BIN) -> list[str]:
    """The one ExecStart command of a long-running unit (web, worker)."""
    (command,) = exec_starts(unit_text, venv_bin)
    return command


def form_fields(page: bytes) -> dict[str, str]:
    """The hidden inputs of a page's form (CSRF token, idempotency key) by name."""
    fields = {}
    for tag in re.findall(rb"<input[^>]*>", page):
        attrs = dict(re.findall(rb'([a-z_-]+)="([^"]*)"', tag))
        if attrs.get(b"type") == b"hidden" and b"name" in attrs:
            fields[attrs[b"name"].decode()] = html.unescape(attrs.get(b"value", b"").decode())
    return fields


def radio_choices(page: bytes) -> dict[str, list[str]]:
    """Each radio group of a page's form: name -> its values, in page order."""
    groups: dict[str, list[str]] = {}
    for tag in re.findall(rb"<input[^>]*>", page):
        attrs = dict(re.findall(rb'([a-z_-]+)="([^"]*)"', tag))
        if attrs.get(b"type") == b"radio":
            groups.setdefault(attrs[b"name"].decode(), []).append(attrs[b"value"].decode())
    return groups


def metric_value(text: str, name: str, **labels) -> float:
    """The sum of the samples of `name` whose labels include `labels`, in Prometheus' text."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$", line)
        if not match or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match[2] or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(match[3])
    return total


def lost_or_doubled(acknowledged: set[str], stored: Counter) -> tuple[set[str], set[str]]:
    """Writes answered 2xx but not stored, and writes stored more than once."""
    return ({t for t in acknowledged if stored[t] == 0},
            {t for t, n in stored.items() if n > 1})


def table(rows: list[tuple[str, bool, str]]) -> str:
    width = max(len(name) for name, _, _ in rows)
    return "\n".join(f"  {'ok  ' if ok else 'FAIL'}  {name:<{width}}  {detail}"
                     for name, ok, detail in rows)


# HTTP -------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection to 127.0.0.1:port, with a cookie jar of one session."""

    def __init__(self, port: int, forwarded_for: str | None = None):
        self.port, self.cookies, self.forwarded_for = port, {}, forwarded_for
        self.connection = None

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                # A connection nginx or gunicorn closed while idle: once more, on a new one,
                # only for GET (a POST may have been received).
                if attempt == 2 or method != "GET":
                    return 599, {}, b""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def csrf(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        found = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
        if not found:
            raise RuntimeError(f"no form on {path} (port {self.port}): {status} "
                               f"{body[:200].decode(errors='replace')}")
        return found[1].decode()

    def log_in(self) -> None:
        token = self.csrf("/admin/connexion")
        status, _, _ = self.request("POST", "/admin/connexion", {
            "csrf_token": token, "email": EMAIL, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login on port {self.port} answered {status}")


class Inbox:
    """The check's SMTP server's handler (aiosmtpd): every recipient of every mail received."""

    def __init__(self):
        self.recipients: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted"


def run_load(make_client, work, total: int, concurrency: int) -> Load:
    """`work(client, n) -> status` for n in range(total), over `concurrency` threads, each
    with its own client."""
    load, lock, local = Load(), threading.Lock(), threading.local()

    def one(n):
        if not hasattr(local, "client"):
            local.client = make_client()
        started = time.perf_counter()
        status = work(local.client, n)
        elapsed = time.perf_counter() - started
        with lock:
            load.statuses.append(status)
            load.latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(total)))
    load.seconds = time.perf_counter() - started
    return load


# The services -----------------------------------------------------------------------------

_GIVEN: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, never one already handed to another service of the run
    (the system may offer a port again once its probe socket is closed)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


def wait_for(port: int, path: str = "/healthz", seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers 200 on 127.0.0.1:{port}{path}")


class Run:
    """The services of one check, and what the checks share."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="prodcheck-"))
        self.database = os.environ.get("PRODCHECK_DATABASE") or f"prodcheck_{os.getpid()}"
        self.redis_port, self.nginx_port = free_port(), free_port()
        self.smtp_port = free_port()
        self.smtp = None
        self.ports = {"A": free_port(), "B": free_port()}
        self.minimal_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.media = self.tmp / "media"
        self.media.mkdir()
        self.env = {
            **os.environ, "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "SITE_URL": f"http://127.0.0.1:{self.nginx_port}",
            "TRUSTED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": f"{PG}/{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0", "PROXY_COUNT": "1",
            "MEDIA_DIR": str(self.media), "PAGE_CACHE_SECONDS": "30",
            # The worker sends through SMTP, to the check's own server (aiosmtpd).
            "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(self.smtp_port),
            "MAIL_USE_TLS": "0", "MAIL_USERNAME": "", "MAIL_TIMEOUT": "5",
            # Every answer of the check comes from this machine, one address (nginx's
            # X-Forwarded-For): the per-address limit of a city-wide campaign cannot hold 200.
            "CONSULTATION_LIMIT_PER_ADDRESS": "1000 per hour",
            "SMS_BACKEND": "console",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
            "WEB_THREADS": os.environ.get("WEB_THREADS", "4"),
        }
        for name in ("RATELIMIT_STORAGE_URI", "PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT"):
            self.env.pop(name, None)
        self.figures: list[str] = []

    def sql(self, query: str, database: str | None = None, autocommit=False):
        import psycopg

        with psycopg.connect(f"{PG}/{database or self.database}", autocommit=autocommit) as c:
            return c.execute(query).fetchall() if query.lstrip().upper().startswith(
                ("SELECT", "WITH")) else c.execute(query)

    def flask(self, *args: str, env=None) -> str:
        done = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                              env=env or self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def start(self, name: str, command: list[str], env=None) -> None:
        log = (self.tmp / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env or self.env,
                                                stdout=log, stderr=log, start_new_session=True)

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # the gunicorn master and its workers
        process.wait(timeout=30)

    def start_redis(self) -> None:
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no"])
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def start_server(self, name: str) -> None:
        unit = (SYSTEMD / "portal-web@.service").read_text()
        env = {**self.env, **self.unit_environment(unit, str(self.ports[name]))}
        self.start(name, exec_start(unit), env)
        wait_for(self.ports[name])

    def unit_environment(self, unit: str, instance: str) -> dict[str, str]:
        """The unit's Environment= lines for this instance (%i), /run/ moved under the check's
        folder (systemd's RuntimeDirectory=)."""
        env = {}
        for line in re.findall(r"^Environment=(.*)$", unit, flags=re.M):
            key, _, value = line.replace("%i", instance).partition("=")
            if value.startswith("/run/"):
                value = str(self.tmp / "run" / value.removeprefix("/run/"))
            env[key] = value
        return env

    def start_smtp(self) -> None:
        from aiosmtpd.controller import Controller

        self.inbox = Inbox()
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def start_worker(self) -> None:
        self.start("worker", exec_start((SYSTEMD / "portal-worker.service").read_text()))

    def load_content(self) -> None:
        """content/ as it is, plus the check's campaign and rendez-vous, with load-content."""
        content = self.tmp / "content"
        shutil.copytree(ROOT / "content", content)
        (content / "consultations" / "prodcheck.yaml").write_text(
            yaml.safe_dump(CAMPAIGN, allow_unicode=True), encoding="utf-8")
        events = yaml.safe_load((content / "events.yaml").read_text(encoding="utf-8"))
        events["events"].append(EVENT)
        (content / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True),
                                             encoding="utf-8")
        self.flask("load-content", "--path", str(content))

    def set_up(self) -> None:
        print(f"Setting up in {self.tmp}: PostgreSQL database {self.database}, Redis on "
              f"{self.redis_port}, gunicorn A {self.ports['A']} and B {self.ports['B']}, "
              f"minimal view {self.minimal_port}, nginx {self.nginx_port}, SMTP {self.smtp_port}")
        self.sql(f'CREATE DATABASE "{self.database}"', "postgres", autocommit=True)
        self.start_redis()
        self.flask("translations", "compile")
        self.flask("db", "upgrade")
        self.load_content()
        self.flask("create-user", EMAIL, "--role", "admin", "--name", "Check",
                   "--password", PASSWORD)
        for n in range(5):
            (self.media / f"check-{n}.webp").write_bytes(secrets.token_bytes(20_000))
        for name in self.ports:
            self.start_server(name)
        self.start_smtp()
        self.start_worker()
        self.start("minimal", [str(VENV_BIN / "gunicorn"), "--config",
                               str(DEPLOY / "gunicorn.conf.py"), "--chdir", str(DEPLOY),
                               "check_minimal:app"],
                   {**self.env, "PORTAL_BIND": f"127.0.0.1:{self.minimal_port}"})
        wait_for(self.minimal_port, "/")
        prefix = self.tmp / "nginx"
        (prefix / "logs").mkdir(parents=True)
        site = site_config((DEPLOY / "nginx" / "portal.conf").read_text(), self.nginx_port,
                           list(self.ports.values()))
        (prefix / "portal.conf").write_text(site)
        (prefix / "nginx.conf").write_text(
            "worker_processes 2;\nerror_log logs/error.log;\npid logs/nginx.pid;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  access_log off;\n  client_body_temp_path body; proxy_temp_path proxy;\n"
            "  fastcgi_temp_path fastcgi; uwsgi_temp_path uwsgi; scgi_temp_path scgi;\n"
            "  include portal.conf;\n}\n")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.start("nginx", [nginx, "-p", str(prefix), "-c", "nginx.conf", "-g", "daemon off;"])
        wait_for(self.nginx_port, "/readyz")

    def tear_down(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        if self.smtp is not None:
            self.smtp.stop()
        for database in (self.database, self.database + "_restore"):
            try:
                self.sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', "postgres",
                         autocommit=True)
            except Exception as exc:  # keep tearing down the rest
                print(f"could not drop {database}: {exc}")
        if os.environ.get("PRODCHECK_KEEP"):
            print(f"logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def stored_titles(self, marker: str) -> Counter:
        rows = self.sql(f"SELECT title FROM news_article WHERE title LIKE '{marker}%'")
        return Counter(title for (title,) in rows)

    def admin(self, port: int) -> Client:
        client = Client(port)
        client.log_in()
        return client


def _writes(run: Run, marker: str, port: int, total: int, concurrency: int, during=None):
    """`total` back-office saves (news drafts titled `<marker> <n>`) through `port`, from
    `concurrency` editors logged in beforehand (a login's Argon2 is not a save's cost);
    `during()` runs in another thread meanwhile. -> (load, acknowledged, failed titles)."""
    editors = []
    for _ in range(concurrency):
        editor = run.admin(port)
        editors.append((editor, editor.csrf("/admin/actualites/nouvelle")))
    pool, statuses = list(editors), {}

    def work(client_and_token, n):
        client, token = client_and_token
        statuses[n], _, _ = client.request("POST", "/admin/actualites/nouvelle", {
            "csrf_token": token, "title": f"{marker} {n}", "summary": "Écrit par make prodcheck",
            "body": "", "image_alt": "", "submit": "Enregistrer"})
        return statuses[n]

    side = threading.Thread(target=during) if during else None
    if side:
        side.start()
    load = run_load(pool.pop, work, total, concurrency)
    if side:
        side.join()
    acked = {f"{marker} {n}" for n, s in statuses.items() if s == 302}
    failed = {f"{marker} {n}" for n, s in statuses.items() if s != 302}
    return load, acked, failed


# The checks -------------------------------------------------------------------------------

def check_cached_pages(run: Run):
    anonymous = lambda client, n: client.request("GET", "/")[0]  # noqa: E731
    minimal = run_load(lambda: Client(run.minimal_port), anonymous, 1500, 8)
    direct = run_load(lambda: Client(run.ports["A"]), anonymous, 1500, 8)
    proxied = run_load(lambda: Client(run.nginx_port), anonymous, 1500, 8)
    ok = all(s == 200 for s in direct.statuses + proxied.statuses)
    ratio_direct, ratio_nginx = direct.rps / minimal.rps, proxied.rps / minimal.rps
    run.figures += [f"minimal Flask view       {minimal.figures()}",
                    f"home page, gunicorn A    {direct.figures()}  ratio {ratio_direct:.2f}",
                    f"home page, through nginx {proxied.figures()}  ratio {ratio_nginx:.2f}"]
    return ok, f"ratio to a minimal view {ratio_direct:.2f} direct, {ratio_nginx:.2f} via nginx"


def check_concurrent_writes(run: Run):
    load, acked, failed = _writes(run, "concurrent", run.nginx_port, 200, 16)
    lost, doubled = lost_or_doubled(acked, run.stored_titles("concurrent "))
    run.figures.append(f"back-office save, nginx  {load.figures()}")
    ok = len(acked) == 200 and not lost and not doubled
    return ok, f"{len(acked)}/200 answered 302, {len(lost)} lost, {len(doubled)} doubled"


def check_consultation_answers(run: Run):
    """200 residents answer the open campaign at once, through nginx (so on both servers):
    each its own session (CSRF token, idempotency key)."""
    path = f"/concertations/{CAMPAIGN['slug']}"
    (campaign_id,) = run.sql("SELECT id FROM consultation_campaign WHERE slug = "
                             f"'{CAMPAIGN['slug']}'")[0]
    before = {name: metric_value(Client(port).request("GET", "/metrics")[2].decode(),
                                 "portal_http_requests_total", endpoint="consultations.answer",
                                 status="302") for name, port in run.ports.items()}
    sent, lock = Counter(), threading.Lock()

    def work(client, n):
        client.cookies = {}  # another resident
        status, _, page = client.request("GET", path)
        if status != 200:
            return status
        ((question, choices),) = radio_choices(page).items()
        choice = choices[n % len(choices)]
        fields = form_fields(page)
        status = client.request("POST", path, {
            "csrf_token": fields["csrf_token"], "cle": fields["cle"], question: choice})[0]
        if status == 302:
            with lock:
                sent[int(choice)] += 1
        return status

    load = run_load(lambda: Client(run.nginx_port), work, 200, 16)
    run.figures.append(f"consultation answer      {load.figures()}  (page + answer)")
    responses = run.sql("SELECT count(*), count(DISTINCT idempotency_key) FROM "
                        f"consultation_response WHERE campaign_id = {campaign_id}")[0]
    stored = Counter(dict(run.sql(
        "SELECT a.option_id, count(*) FROM consultation_answer a JOIN consultation_response r "
        f"ON r.id = a.response_id WHERE r.campaign_id = {campaign_id} GROUP BY a.option_id")))
    tallies = dict(run.sql(
        "SELECT what || ':' || option_id, sum(count) FROM consultation_tally WHERE "
        f"campaign_id = {campaign_id} AND what IN ('responses', 'option') GROUP BY 1"))
    tallied = Counter({int(k.split(":")[1]): v for k, v in tallies.items()
                       if k.startswith("option:")})
    after = {name: metric_value(Client(port).request("GET", "/metrics")[2].decode(),
                                "portal_http_requests_total", endpoint="consultations.answer",
                                status="302") for name, port in run.ports.items()}
    by_server = {name: int(after[name] - before[name]) for name in run.ports}
    statuses = Counter(load.statuses)
    ok = (statuses == Counter({302: 200}) and tuple(responses) == (200, 200)
          and stored == sent and tallied == sent and tallies.get("responses:0") == 200
          and all(by_server.values()) and sum(by_server.values()) == 200)
    return ok, (f"answers {dict(statuses)}; stored {responses[0]} ({responses[1]} keys), "
                f"answers per option {sorted(stored.values())} = tallies "
                f"{sorted(tallied.values())}, responses tally {tallies.get('responses:0')}; "
                f"by server (their /metrics) A {by_server['A']}, B {by_server['B']}")


def _event_id(run: Run) -> int:
    return run.sql(f"SELECT id FROM event WHERE slug = '{EVENT['slug']}'")[0][0]


def registrant(n: int) -> str:
    return f"inscrit-{n}@prodcheck.example"


def check_registrations(run: Run):
    """50 people register at once for 20 places, through nginx: 20 confirmed, 30 waiting."""
    event_id = _event_id(run)
    path = f"/agenda/{event_id}/inscription"
    tokens = []
    for _ in range(REGISTRANTS):  # each their own session and CSRF token, before the rush
        client = Client(run.nginx_port)
        tokens.append((client, client.csrf(path)))
    statuses = {}

    def work(_client, n):
        client, token = tokens[n]
        statuses[n] = client.request("POST", path, {
            "csrf_token": token, "name": f"Inscrit {n}", "phone": "",
            "email": registrant(n), "people": "1", "consent": "y",
            "submit": "M’inscrire"})[0]
        return statuses[n]

    load = run_load(lambda: None, work, REGISTRANTS, REGISTRANTS)
    run.figures.append(f"registration, {REGISTRANTS} at once {load.figures()}")
    rows = dict(run.sql("SELECT status, count(*) FROM event_registration WHERE event_id = "
                        f"{event_id} GROUP BY status"))
    seats = run.sql(f"SELECT seats_taken FROM event WHERE id = {event_id}")[0][0]
    answered = Counter(statuses.values())
    ok = (answered == Counter({302: REGISTRANTS}) and rows.get("confirmed") == 20
          and rows.get("waiting") == REGISTRANTS - 20 and seats == 20)
    return ok, (f"answers {dict(answered)}; confirmed {rows.get('confirmed', 0)}, waiting "
                f"{rows.get('waiting', 0)}, seats taken {seats} of 20")


def check_messages_delivered(run: Run):
    """The worker sends what the registrations enqueued, each mail once, to the SMTP server."""
    alive = run.processes["worker"].poll() is None
    addresses = {registrant(n) for n in range(REGISTRANTS)}
    deadline, states = time.monotonic() + 90, {}
    while time.monotonic() < deadline:
        states = dict(run.sql("SELECT state, count(*) FROM outbox_message WHERE recipient "
                              "LIKE 'inscrit-%@prodcheck.example' GROUP BY state"))
        if set(states) == {"sent"}:
            break
        time.sleep(1)
    time.sleep(1)  # a mail sent twice would arrive now
    with run.inbox.lock:
        received = Counter({a: run.inbox.recipients[a] for a in addresses})
    kinds = dict(run.sql("SELECT kind, count(*) FROM outbox_message WHERE recipient LIKE "
                         "'inscrit-%@prodcheck.example' GROUP BY kind"))
    once = sum(1 for a in addresses if received[a] == 1)
    ok = (alive and states.get("sent") == REGISTRANTS and set(states) == {"sent"}
          and once == REGISTRANTS)
    return ok, (f"worker {'running' if alive else 'NOT running'}; outbox {states} ({kinds}); "
                f"{once}/{REGISTRANTS} registrants got exactly one mail, "
                f"{sum(1 for a in addresses if received[a] > 1)} more than one")


def check_metrics(run: Run):
    status_outside, _, outside = Client(run.nginx_port).request("GET", "/metrics")
    tricks = [Client(run.nginx_port).request("GET", p)[0]
              for p in ("/%6Detrics", "//metrics", "/metrics/", "/metrics?x=1")]
    status_proxied = Client(run.ports["A"], forwarded_for="203.0.113.9").request(
        "GET", "/metrics")[0]
    status, headers, body = Client(run.ports["A"]).request("GET", "/metrics")
    text = body.decode(errors="replace")
    wanted = ["portal_http_requests_total", "portal_http_request_duration_seconds_bucket",
              "portal_outbox_depth", "portal_outbox_oldest_waiting_seconds",
              "portal_validation_queue_items", "portal_validation_queue_oldest_seconds"]
    missing = [name for name in wanted if f"\n{name}" not in text]
    home = metric_value(text, "portal_http_requests_total", endpoint="core.home", status="200")
    ok = (status_outside == 404 and b"portal_" not in outside and set(tricks) == {404}
          and status_proxied == 404 and status == 200 and not missing and home > 0)
    return ok, (f"through nginx {status_outside} (and {tricks} for look-alike paths), with "
                f"X-Forwarded-For {status_proxied}; on A's port {status}, "
                f"{'all series' if not missing else 'MISSING ' + ', '.join(missing)} "
                f"(home 200s on A's workers {home:.0f}, outbox depth "
                f"{metric_value(text, 'portal_outbox_depth'):.0f}, validation queue "
                f"{metric_value(text, 'portal_validation_queue_items'):.0f})")


def check_request_id(run: Run):
    """nginx's $request_id reaches the app: in its answer and in gunicorn's JSON access line."""
    ids = []
    for n in range(4):  # over both servers
        headers = Client(run.nginx_port).request("GET", f"/actualites/?id={n}")[1]
        ids.append(headers.get("X-Request-Id", ""))
    time.sleep(0.5)
    logs = "".join((run.tmp / f"{name}.log").read_text(errors="replace") for name in run.ports)
    logged = [i for i in ids if re.fullmatch(r"[0-9a-f]{32}", i)
              and re.search(rf'"request_id":"{i}".*"status":200', logs)]
    bad_json = 0
    for line in logs.splitlines():
        if line.startswith("{"):
            try:
                json.loads(line)
            except ValueError:
                bad_json += 1
    ok = len(logged) == len(ids) and not bad_json
    return ok, (f"{len(logged)}/{len(ids)} answers carried nginx's id and it is in the "
                f"servers' JSON access log; {bad_json} log lines of JSON that do not parse")


def check_daily_commands(run: Run):
    """The timers' services' command lines, as they are, on the check's database."""
    ran, failed = [], []
    for timer in sorted(SYSTEMD.glob("*.timer")):
        if timer.stem == "portal-backup":
            continue  # writes under /var/backups: the backup is checked on its own above
        for command in exec_starts((SYSTEMD / f"{timer.stem}.service").read_text()):
            done = subprocess.run(command, cwd=ROOT, env=run.env, capture_output=True,
                                  text=True, timeout=300)
            words = " ".join(command[3:])
            (failed if done.returncode else ran).append(words)
    return not failed and ran != [], (
        f"{len(ran)} commands ran ({'; '.join(ran)})"
        + (f"; FAILED: {'; '.join(failed)}" if failed else ""))


def check_login_limit(run: Run):
    statuses = []
    for n in range(6):  # the same guesser, alternately on each server
        client = Client(run.ports["AB"[n % 2]], forwarded_for="198.51.100.7")
        token = client.csrf("/admin/connexion")
        statuses.append(client.request("POST", "/admin/connexion", {
            "csrf_token": token, "email": EMAIL, "password": f"devine {n}"})[0])
    return statuses == [422] * 5 + [429], f"statuses {statuses} (5 failures, then 429)"


def check_change_seen_elsewhere(run: Run):
    visitor = Client(run.ports["B"])
    visitor.request("GET", "/actualites/")
    warm = visitor.request("GET", "/actualites/")[1].get("X-Page-Cache")
    editor = run.admin(run.ports["A"])
    token = editor.csrf("/admin/actualites/nouvelle")
    title = f"Publiée sur A {secrets.token_hex(3)}"
    status, headers, _ = editor.request("POST", "/admin/actualites/nouvelle", {
        "csrf_token": token, "title": title, "summary": "Vue sur B ?", "submit": "Enregistrer"})
    article = headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
    editor.request("POST", f"/admin/actualites/{article}/publier", {"csrf_token": token})
    _, seen_headers, body = visitor.request("GET", "/actualites/")
    seen = title.encode() in body
    return (warm == "hit" and seen,
            f"B's cache was {'warm' if warm == 'hit' else 'cold'}; its next request "
            f"{'shows' if seen else 'does NOT show'} the news published on A")


def check_server_killed(run: Run):
    def kill_a():
        time.sleep(1.0)
        run.kill("A")

    load, acked, failed = _writes(run, "killed", run.nginx_port, 300, 12, during=kill_a)
    stored = run.stored_titles("killed ")
    lost, doubled = lost_or_doubled(acked, stored)
    failed_stored = sum(1 for t in failed if stored[t])
    after = [Client(run.nginx_port).request("GET", "/actualites/?apres")[0] for _ in range(20)]
    run.start_server("A")
    ok = not lost and not doubled and all(s == 200 for s in after)
    return ok, (f"{len(acked)} acknowledged writes all stored once ({len(lost)} lost, "
                f"{len(doubled)} doubled); {len(failed)} answered an error ({failed_stored} of "
                f"them stored, none twice); next 20 requests {Counter(after)}")


def check_redis_restart(run: Run):
    def restart():
        time.sleep(0.5)
        run.kill("redis", signal.SIGTERM)
        time.sleep(1.0)
        run.start_redis()

    pages = ("/", "/actualites/", "/quartiers/alma", "/services/")
    side = threading.Thread(target=restart)
    side.start()
    load = run_load(lambda: Client(run.nginx_port),
                    lambda c, n: c.request("GET", pages[n % len(pages)])[0], 1200, 8)
    side.join()
    hits = []
    for _ in range(20):
        for port in run.ports.values():
            hits.append(Client(port).request("GET", "/")[1].get("X-Page-Cache"))
        if hits[-2:] == ["hit", "hit"]:
            break
        time.sleep(0.25)
    statuses = Counter(load.statuses)
    ok = set(statuses) == {200} and hits[-2:] == ["hit", "hit"]
    return ok, (f"answers during the restart {dict(statuses)}; shared cache hits again on both "
                f"servers after: {hits[-2:] == ['hit', 'hit']} ({len(hits)} requests)")


def check_postgres_connections_killed(run: Run):
    editors = {name: run.admin(port) for name, port in run.ports.items()}

    def terminate():
        time.sleep(0.5)
        run.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                f"'{run.database}' AND pid <> pg_backend_pid()", "postgres")

    side = threading.Thread(target=terminate)
    side.start()
    cookies = editors["A"].cookies
    during = run_load(lambda: _with_cookies(Client(run.nginx_port), cookies),
                      lambda c, n: c.request("GET", "/admin/actualites/")[0], 600, 8)
    side.join()
    after = [editor.request("GET", "/admin/actualites/")[0] for editor in editors.values()
             for _ in range(10)]
    statuses = Counter(during.statuses)
    ok = set(statuses) <= {200, 503} and set(after) == {200}
    return ok, (f"during {dict(statuses)} (503 is the retry page), after {dict(Counter(after))}"
                ", no restart of the app")


def _with_cookies(client: Client, cookies: dict) -> Client:
    client.cookies = dict(cookies)
    return client


def check_backup_restore(run: Run):
    folder = run.tmp / "backup"
    tables = [t for (t,) in run.sql("SELECT tablename FROM pg_tables WHERE schemaname='public'")]

    def counts(database):
        return {t: run.sql(f'SELECT count(*) FROM "{t}"', database)[0][0] for t in tables}

    before = counts(None)
    result = {}

    def backup():
        time.sleep(0.3)
        result["out"] = run.flask("backup", "create", str(folder))

    load, acked, _ = _writes(run, "backup", run.nginx_port, 400, 8, during=backup)
    after = counts(None)
    restored_media = run.tmp / "restored-media"
    run.sql(f'CREATE DATABASE "{run.database}_restore"', "postgres", autocommit=True)
    run.flask("backup", "restore", str(folder), env={
        **run.env, "DATABASE_URL": f"{PG}/{run.database}_restore",
        "MEDIA_DIR": str(restored_media)})
    restored = counts(run.database + "_restore")
    within = all(before[t] <= restored[t] <= after[t] for t in tables)
    same_media = all((restored_media / p.name).read_bytes() == p.read_bytes()
                     for p in run.media.iterdir() if p.is_file())
    news = (before["news_article"], restored["news_article"], after["news_article"])
    return within and same_media, (
        f"row counts of all {len(tables)} tables between before and after the backup "
        f"(news {news[0]} <= {news[1]} <= {news[2]}); media identical: {same_media}")


def check_large_and_slow_requests(run: Run):
    # 40 clients that send a form's first bytes and then nothing: more than the servers'
    # threads (2 x 2 x 4); nginx holds them, gunicorn never sees them.
    slow = []
    for _ in range(40):
        sock = socket.create_connection(("127.0.0.1", run.nginx_port), timeout=5)
        sock.sendall(b"POST /admin/connexion HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 5000\r\n\r\nemail=")
        slow.append(sock)
    started = time.perf_counter()
    status = Client(run.nginx_port).request("GET", "/actualites/?pendant-les-lents")[0]
    waited = time.perf_counter() - started
    for sock in slow:
        sock.close()
    big, _, body = Client(run.nginx_port).request(
        "POST", "/admin/connexion", {"email": "x" * (11 * 1024 * 1024)})
    own_page = b"Fichier trop lourd" in body
    ok = status == 200 and waited < 2 and big == 413 and own_page
    return ok, (f"a page answered {status} in {waited * 1000:.0f} ms while 40 slow clients "
                f"were sending; an 11 MB request got {big}"
                f"{' with the portal’s 413 page' if own_page else ' WITHOUT the portal’s page'}")


CHECKS = [
    ("cached anonymous pages, nginx and direct", check_cached_pages),
    ("200 concurrent back-office saves over both servers", check_concurrent_writes),
    ("200 concurrent consultation answers over both servers", check_consultation_answers),
    ("50 concurrent registrations for 20 places", check_registrations),
    ("messages of the load delivered once by the worker", check_messages_delivered),
    ("metrics served by the app, refused by nginx", check_metrics),
    ("nginx's request id in the answer and the JSON log", check_request_id),
    ("login limit holds across both servers", check_login_limit),
    ("a change on server A seen on B's next request", check_change_seen_elsewhere),
    ("SIGKILL of server A during writes", check_server_killed),
    ("Redis restarted during load", check_redis_restart),
    ("PostgreSQL connections killed during load", check_postgres_connections_killed),
    ("backup while writing, restore into a new database", check_backup_restore),
    ("slow clients held by nginx, too large gets the 413 page", check_large_and_slow_requests),
    ("the timers' daily commands run", check_daily_commands),
]


def _tracebacks(log: str, most: int = 2) -> str:
    """The first `most` tracebacks of a server's log, to see why something failed."""
    blocks = re.findall(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+.*", log)
    return "\n".join(blocks[:most])


def main(only: list[str]) -> int:
    """`python deploy/check.py [word...]` runs only the checks whose function names hold one
    of the words (e.g. `postgres`); all of them by default."""
    chosen = [(name, check) for name, check in CHECKS
              if not only or any(word in check.__name__ for word in only)]
    run = Run()
    rows = []
    try:
        run.set_up()
        for name, check in chosen:
            print(f"- checking: {name} ...", flush=True)
            try:
                ok, detail = check(run)
            except Exception as exc:  # one broken check must not hide the others' results
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            rows.append((name, ok, detail))
            print(f"  {'ok' if ok else 'FAILED'}: {detail}", flush=True)
    finally:
        errors = {p.name: _tracebacks(p.read_text(errors="replace"))
                  for p in run.tmp.glob("*.log")}
        run.tear_down()
    print("\nWhat held:")
    print(table(rows))
    print("\nFigures (2 gunicorn servers x "
          f"{run.env['WEB_CONCURRENCY']} workers x {run.env['WEB_THREADS']} threads, "
          f"load from this machine, {os.cpu_count()} cores shared):")
    print("\n".join("  " + line for line in run.figures))
    failed = [name for name, ok, _ in rows if not ok]
    if failed:
        for name, found in errors.items():
            if found:
                print(f"\nFirst errors in {name}:\n{found}")
    return 1 if failed or len(rows) < len(chosen) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
