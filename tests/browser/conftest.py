"""Browser tests: the portal served by a real HTTP server on 127.0.0.1 and driven, at phone size,
by the system Chromium (Debian's package `chromium`) through Playwright's sync API.

Fixtures (all usable from any test module in tests/browser/):
  live_app       the Flask app behind the live server: its own SQLite file (also when the rest of
                 the suite runs on PostgreSQL, whose tables the `db` fixture empties after each
                 test), migrations to "heads", content/ loaded, TESTING on, CSRF on.
  live_server    the base URL of that app, served by werkzeug in a thread: "http://127.0.0.1:PORT".
  browser        one headless Chromium for the whole session.
  allowed_hosts  host patterns (fnmatch) whose requests are aborted without counting as a leak:
                 by default the host of live_app's TILE_URL ("{s}" becomes "*").
  phone_page     factory: phone_page("ar") -> Phone, a fresh context at 375x812 that records
                 console errors, page errors and every request leaving 127.0.0.1/localhost.

Without /usr/bin/chromium or the playwright package, every module of this directory is reported
as skipped with the reason (never imported, so a test module may import playwright at its top).
With REQUIRE_BROWSER=1 (set by .ci/run once Chromium is installed) the skip becomes a failure.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
LOCALES = {"fr": "fr-FR", "en": "en-GB", "ar": "ar"}


def _unavailable() -> str:
    """Why browser tests cannot run here ("" when they can)."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing: run `make install` (it is a dev dependency)"
    return ""


UNAVAILABLE = _unavailable()


class _UnavailableModule(pytest.Module):
    """Stands for a test module that cannot run here; never imports it."""

    def collect(self):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {UNAVAILABLE}",
                        pytrace=False)
        pytest.skip(f"browser tests skipped: {UNAVAILABLE}", allow_module_level=True)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    # A plain module-level pytest.skip() in this conftest crashes pytest when the directory is
    # named on the command line (it is then loaded before collection), hence this hook.
    if UNAVAILABLE and module_path.name.startswith("test_"):
        return _UnavailableModule.from_parent(parent, path=module_path)
    return None


# ---------------------------------------------------------------------------------------------
# The live server


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.content import load_content

    folder = tmp_path_factory.mktemp("live")
    app = create_app({
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,  # forms are tested as residents use them
        "SECRET_KEY": "browser-test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
        "MEDIA_DIR": folder / "media",
        "PAGE_VIEWS_ENABLED": False,  # its writes have their own tests (tests/reports)
    })
    with app.app_context():
        upgrade(revision="heads")
        load_content()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


# ---------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright) -> Browser:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def host_pattern(url: str | None) -> str | None:
    """The host of a tile URL template as an fnmatch pattern: {s}.tile.x.fr -> *.tile.x.fr."""
    if not url:
        return None
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
    host = re.sub(r"\{[^}]*\}", "*", netloc).split(":")[0].lower()
    return host or None


@pytest.fixture(scope="session")
def allowed_hosts(live_app) -> tuple[str, ...]:
    """Hosts a page may ask for without failing: the configured map tile server. Their requests
    are aborted (no test depends on the outside world) and kept in Phone.allowed_requests."""
    pattern = host_pattern(live_app.config.get("TILE_URL"))
    return (pattern,) if pattern else ()


@dataclass(repr=False)
class Phone:
    """One phone-sized browser context and its page, with what went wrong on it."""

    context: BrowserContext
    page: Page
    lang: str | None
    allowed: tuple[str, ...]
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    allowed_requests: list[str] = field(default_factory=list)
    _aborted: set[str] = field(default_factory=set)

    def url_for(self, path: str) -> str:
        """`path` with ?lang= added (unless it has one already)."""
        if self.lang is None:
            return path
        parts = urlsplit(path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if not any(key == "lang" for key, _ in query):
            query.append(("lang", self.lang))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def open(self, path: str, status: int = 200) -> Response:
        """Go to `path` (relative to the live server), wait for `load`, check the status."""
        url = self.url_for(path)
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        return response

    def assert_clean(self) -> None:
        """No console error, no page error, no request that left the machine."""
        problems = [f"console: {text}" for text in self.console_errors]
        problems += [f"request leaving 127.0.0.1: {url}" for url in self.outside_requests]
        assert not problems, f"on {self.page.url}:\n  " + "\n  ".join(problems)

    def screenshot(self, name: str) -> Path | None:
        """A full-page PNG in $SCREENSHOT_DIR (when set), named `name`.png."""
        folder = os.environ.get("SCREENSHOT_DIR")
        if not folder:
            return None
        path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def __repr__(self) -> str:
        return (f"<Phone {self.lang} {self.page.url} console_errors={self.console_errors} "
                f"outside_requests={self.outside_requests}>")

    # Listeners -------------------------------------------------------------------------------

    def _on_route(self, route: Route) -> None:
        url = route.request.url
        scheme = urlsplit(url).scheme
        host = (urlsplit(url).hostname or "").lower()
        if scheme in {"data", "blob"} or host in LOCAL_HOSTS:
            route.continue_()
            return
        if any(fnmatch.fnmatch(host, pattern) for pattern in self.allowed):
            self.allowed_requests.append(url)
        else:
            self.outside_requests.append(url)
        self._aborted.add(url)
        route.abort("blockedbyclient")

    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium logs "Failed to load resource" for each request aborted above: already
        # reported (outside) or tolerated (tile server), so not a console error of the page.
        if message.location.get("url") in self._aborted:
            return
        where = message.location.get("url", "")
        line = message.location.get("lineNumber")
        self.console_errors.append(f"{message.text} ({where}:{line})" if where else message.text)

    def _on_page_error(self, error: Any) -> None:
        self.console_errors.append(f"uncaught exception: {error}")


@pytest.fixture
def phone_page(browser, live_server, allowed_hosts):
    """Factory: phone_page("ar") -> Phone at 375x812 (scale 2, touch) with the Arabic locale.

    phone_page(lang, allow_hosts=("tiles.example.org",)) tolerates more hosts; lang=None opens
    pages without ?lang= (Accept-Language then follows the locale). Contexts close after the test.
    """
    contexts = []

    def make(lang: str | None = "fr", *, allow_hosts: tuple[str, ...] = (),
             **context_options) -> Phone:
        options = {**PHONE, "base_url": live_server, "locale": LOCALES.get(lang or "fr", lang)}
        options.update(context_options)
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        phone = Phone(context, page, lang, tuple(allowed_hosts) + tuple(allow_hosts))
        context.route("**/*", phone._on_route)
        page.on("console", phone._on_console)
        page.on("pageerror", phone._on_page_error)
        return phone

    yield make
    for context in contexts:
        context.close()
