"""What production must set, and what it refuses: the app factory's checks, the Host, the banner."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app, page_cache
from portal.config import ProductionSettingsError, settings_from_environment

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"PORTAL_ENV": "production", "TESTING": False, "DEBUG": False,
              "SECRET_KEY": "a production secret", "SITE_URL": "https://quartiers.roubaix.example",
              "SQLALCHEMY_DATABASE_URI": "sqlite://"}


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ProductionSettingsError, match="SECRET_KEY") as refused:
        create_app({**PRODUCTION, "SECRET_KEY": ""})
    assert "SITE_URL (the public address" not in str(refused.value)  # that one is set


@pytest.mark.parametrize("site_url", ["", "quartiers.roubaix.example", "https://"])
def test_production_refuses_to_start_without_site_url(site_url):
    with pytest.raises(ProductionSettingsError, match="SITE_URL .the public address"):
        create_app({**PRODUCTION, "SITE_URL": site_url})


def _start_wsgi(**env) -> subprocess.CompletedProcess:
    """`import wsgi` as gunicorn does, in an environment holding only `env` of ours."""
    clean = {key: value for key, value in os.environ.items()
             if key not in ("PORTAL_ENV", "SECRET_KEY", "SITE_URL", "TRUSTED_HOSTS",
                            "FLASK_DEBUG")}
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**clean, **env})


def test_a_server_started_with_nothing_set_refuses_with_what_to_set():
    started = _start_wsgi()
    assert started.returncode != 0
    assert "ProductionSettingsError" in started.stderr
    assert "SECRET_KEY" in started.stderr and "SITE_URL" in started.stderr
    assert "PORTAL_ENV=development" in started.stderr  # and how to run it on a laptop


def test_development_starts_with_nothing_set():
    started = _start_wsgi(PORTAL_ENV="development")
    assert started.returncode == 0, started.stderr


def test_production_answers_only_for_site_url_host():
    app = create_app({**PRODUCTION, "EXTRA_TRUSTED_HOSTS": ["10.0.0.5"]})
    assert app.config["TRUSTED_HOSTS"] == ["quartiers.roubaix.example", "10.0.0.5"]
    client = app.test_client()
    forged = client.get("/robots.txt", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and b"evil" not in forged.data
    robots = client.get("/robots.txt", headers={"Host": "10.0.0.5:8000"}).get_data(as_text=True)
    assert "Sitemap: https://quartiers.roubaix.example/sitemap.xml" in robots


def test_the_app_sends_no_server_banner(client):
    # The Werkzeug development server adds its own; in production gunicorn answers
    # "Server: gunicorn", without its version, and nginx hides its own (README: server_tokens).
    assert "Server" not in client.get("/robots.txt").headers
    import gunicorn

    assert gunicorn.SERVER == "gunicorn"


def test_two_apps_built_from_different_environments_each_have_their_own_settings():
    base = {"PORTAL_ENV": "development", "SECRET_KEY": "k"}
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, environ={
        **base, "SITE_URL": "https://un.example/", "PAGE_CACHE_SECONDS": "5",
        "TRUSTED_HOSTS": "10.0.0.5, sonde", "MAIL_SERVER": "smtp.un.example"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, environ={
        **base, "SITE_URL": "https://deux.example", "PAGE_CACHE_SECONDS": "0"})
    assert (first.config["SITE_URL"], second.config["SITE_URL"]) == (
        "https://un.example", "https://deux.example")
    assert (first.config["PAGE_CACHE_SECONDS"], second.config["PAGE_CACHE_SECONDS"]) == (5, 0)
    assert first.config["TRUSTED_HOSTS"] == ["un.example", "10.0.0.5", "sonde"]
    assert (first.config["MAIL_BACKEND"], second.config["MAIL_BACKEND"]) == ("smtp", "console")
    assert page_cache.entries(first) is not page_cache.entries(second)


def test_settings_come_from_the_environment_when_the_app_is_built(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "development")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("TILE_URL", "https://tiles.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.example/portal")
    app = create_app({"TESTING": True})  # portal.config was imported long ago
    assert app.config["TILE_URL"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.example/portal"
    assert app.config["PAGE_CACHE_SECONDS"] == 0  # off under TESTING unless the test asks


def test_the_test_config_overrides_the_environment():
    environ = {"PORTAL_ENV": "development", "SECRET_KEY": "k", "CONTACT_EMAIL": "env@x.example",
               "PAGE_CACHE_SECONDS": "30"}
    app = create_app({"TESTING": True, "CONTACT_EMAIL": "test@x.example", "PAGE_CACHE_SECONDS": 7,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"}, environ=environ)
    assert (app.config["CONTACT_EMAIL"], app.config["PAGE_CACHE_SECONDS"]) == ("test@x.example", 7)


def test_every_setting_has_a_default_with_nothing_set():
    values = settings_from_environment({})
    assert values["PORTAL_ENV"] == "production" and values["SECRET_KEY"] == ""
    assert values["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{ROOT / 'instance' / 'portal.db'}"
    assert values["PAGE_CACHE_SECONDS"] == 30 and values["EXTRA_TRUSTED_HOSTS"] == []
    assert values["MAX_CONTENT_LENGTH"] == values["UPLOAD_MAX_BYTES"] + 1024 * 1024


# Imports portal.config (hence the whole package) and reports what the portal's own code read
# from the environment, and every file or folder opened for writing, during the import.
_WATCH_IMPORT = r"""
import json, os, sys

sys.dont_write_bytecode = True
portal_dir = os.path.join(sys.argv[1], "portal") + os.sep
reads, writes = [], []


def _caller_in_portal():
    frame = sys._getframe(2)
    while frame and frame.f_code.co_filename == os.__file__:  # os.getenv, os.environ.get
        frame = frame.f_back
    return frame and frame.f_code.co_filename.startswith(portal_dir)


class Watched(dict):
    def __getitem__(self, key):
        if _caller_in_portal():
            reads.append(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if _caller_in_portal():
            reads.append(key)
        return super().get(key, default)


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def audit(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = args[1] or "", args[2] or 0
        if any(c in mode for c in "wax+") or flags & WRITE_FLAGS:
            writes.append(str(args[0]))
    elif event in ("os.mkdir", "os.rename", "os.remove", "os.symlink"):
        writes.append(f"{event} {args[0]}")


os.environ = Watched(os.environ)
sys.addaudithook(audit)
import portal.config  # noqa: E402,F401

print(json.dumps({"reads": reads, "writes": writes}))
"""


def test_importing_the_config_reads_no_environment_and_writes_nothing():
    env = {**os.environ, "PORTAL_ENV": "development", "SITE_URL": "https://x.example"}
    done = subprocess.run([sys.executable, "-c", _WATCH_IMPORT, str(ROOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"reads": [], "writes": []}
