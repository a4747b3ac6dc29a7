"""What production must set, and what it refuses: the app factory's checks, the Host, the banner."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ProductionSettingsError

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
