"""The service directory in real Chromium, at 375 px, in French and Arabic: axe-core finds no
violation, the console stays clean, no request leaves the machine, nothing scrolls sideways."""

from datetime import datetime

import pytest

from portal.clock import PARIS
from tests.browser.axe import assert_no_axe_violations

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday morning: most services open
SERVICE = "demo-npnru-roubaix--relogement-lmh"


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    # The live server runs in this process: "open now" sees the same clock.
    frozen_clock(NOW)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", ["/services/", "/services/?besoin=relogement&quartier=alma&ouvert=1",
                                  f"/services/{SERVICE}", "/structures/demo-npnru-roubaix--ccas"])
def test_directory_pages_are_accessible_at_375px(phone_page, path, lang):
    phone = phone_page(lang)
    phone.open(path)
    page = phone.page
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".service-card, .service-quick").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    phone.assert_clean()
    phone.screenshot(f"{path.strip('/').split('?')[0].replace('/', '_') or 'index'}-{len(path)}-{lang}")


def test_call_button_is_a_big_tap_target(phone_page):
    phone = phone_page("fr")
    phone.open(f"/services/{SERVICE}")
    call = phone.page.locator(".service-quick a.button")
    assert call.get_attribute("href") == "tel:+33320000013"
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
