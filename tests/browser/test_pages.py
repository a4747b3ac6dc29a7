"""Key pages in real Chromium on a 375 px phone, in French and Arabic: right language and
direction, nothing wider than the screen, no axe-core violation, a clean console, and no request
leaving the machine. Plus the home page's weight as served gzip-compressed."""

import gzip
import http.client
import re
from urllib.parse import urlsplit

import pytest

from portal.languages import DEFAULT_LANGUAGE, RTL_LANGUAGES
from tests.browser.axe import assert_no_axe_violations

PAGES = {
    "home": "/",
    "quartier": "/quartiers/alma",
    "news": "/actualites/",
    "article": None,  # the first article listed on /actualites/
}
LANGS = [DEFAULT_LANGUAGE, *sorted(RTL_LANGUAGES)]  # French and each right-to-left language
WIDTH = 375
HOME_BUDGET = 50_000  # bytes of HTML + CSS + JS, gzip-compressed (issue 2)


def fetch(url: str, headers: dict | None = None):
    """(status, headers, body as sent on the wire): http.client never decompresses."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="session")
def article_path(live_server) -> str:
    """The path of the first article linked from the news list."""
    status, _, body = fetch(f"{live_server}/actualites/")
    assert status == 200
    html = body.decode("utf-8")
    main = html[html.find("<main"):] if "<main" in html else html
    match = re.search(r'href="(?:https?://[^/"]+)?(/actualites/(?!flux\.atom)[^"?#/]+)', main)
    assert match, "no article link on /actualites/"
    return match.group(1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_on_a_phone(phone_page, article_path, name, lang):
    phone = phone_page(lang)
    phone.open(PAGES[name] or article_path)

    html = phone.page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    width = phone.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{phone.page.url} scrolls sideways: {width} px wide on a {WIDTH} px screen"
    phone.screenshot(f"{name}-{lang}")
    assert_no_axe_violations(phone.page)
    phone.assert_clean()


def test_home_page_weight(phone_page, live_server):
    """Sum of the home page's own document, stylesheets and scripts as sent with gzip."""
    phone = phone_page("fr")
    own = []

    def keep(response):
        kind = response.request.resource_type
        if kind in {"document", "stylesheet", "script"} and response.url.startswith(live_server):
            own.append((kind, response.url))

    phone.page.on("response", keep)
    phone.open("/")
    phone.assert_clean()
    assert any(kind == "document" for kind, _ in own)

    total, rows = 0, []
    for kind, url in own:
        status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})
        assert status == 200, url
        encoding = headers.get("Content-Encoding", "identity")
        if kind == "document":
            assert encoding == "gzip", f"the home page is not gzip-compressed ({encoding})"
        raw = len(gzip.decompress(body)) if encoding == "gzip" else len(body)
        total += len(body)
        rows.append(f"  {len(body):>7,} B  ({raw:,} B raw, {encoding})  {kind:<10} "
                    f"{url[len(live_server):]}")

    # The figures are `make bench`'s (tests/benchmarks/weights.py); a failure shows them.
    assert total < HOME_BUDGET, (f"home page weighs {total:,} bytes gzipped (> {HOME_BUDGET:,})\n"
                                 + "\n".join(rows))
