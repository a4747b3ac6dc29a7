"""/abonnements/ in real Chromium at 375 px, in French and Arabic: the form, its error state
(sent empty, without JavaScript's help), the unsubscribe page and the "manage my
subscription" page a digest links to (its error and saved states) pass axe-core, nothing
scrolls sideways, the console stays clean, no request leaves the machine."""

import pytest

from tests.browser.axe import assert_no_axe_violations

WIDTH = 375


@pytest.fixture
def manage_path(live_app):
    """A new confirmed SMS subscription of the live app, and the link of its digests."""
    import secrets

    from portal.extensions import db
    from portal.messages.models import Channel, Subscription
    from portal.messages.subscriptions import manage_token
    from portal.mixins import utcnow
    from portal.quartiers import all_quartiers

    with live_app.app_context():
        subscription = Subscription(
            channel=Channel.SMS, address=f"+33612{secrets.randbelow(10**6):06d}", language="fr", topics=["actualites"],
            quartiers=all_quartiers()[:1], code_attempts=0, confirmed_at=utcnow(),
            unsubscribe_token=secrets.token_urlsafe(12))
        db.session.add(subscription)
        db.session.commit()
        return f"/abonnements/gerer/{manage_token(subscription)}"


def check(phone, lang):
    page = phone.page
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert_no_axe_violations(page)
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_subscription_form_and_its_errors_on_a_phone(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/abonnements/")
    check(phone, lang)
    page = phone.page
    box = page.locator("input[name=quartiers]").first.bounding_box()
    assert box["height"] >= 24
    # Untick every topic, choose SMS and give a landline: three errors next to their fields.
    for box in page.locator("input[name=topics]").all():
        box.uncheck()
    page.locator("input[name=channel][value=sms]").check()
    page.fill("#phone", "03 20 66 46 00")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    assert page.locator("#quartiers-erreur").is_visible()
    assert page.locator("#topics-erreur").is_visible()
    assert page.locator("#phone-erreur").is_visible()
    assert page.input_value("#phone") == "03 20 66 46 00"
    phone.screenshot(f"abonnements-erreurs-{lang}")
    # The refused form answers 422 on purpose, which Chromium notes in the console.
    phone.console_errors[:] = [e for e in phone.console_errors if "status of 422" not in e]
    check(phone, lang)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_check_mailbox_and_confirmed_pages(phone_page, lang):
    for path in ("/abonnements/verifiez-vos-emails", "/abonnements/confirme",
                 "/abonnements/desabonne"):
        phone = phone_page(lang)
        phone.open(path)
        check(phone, lang)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_manage_page_its_errors_and_its_saved_state_on_a_phone(phone_page, manage_path, lang):
    phone = phone_page(lang)
    phone.open(manage_path)
    check(phone, lang)
    page = phone.page
    assert page.locator("input[name=topics][value=actualites]").is_checked()
    for box in page.locator("input[name=topics]").all():  # nothing chosen: an error
        box.uncheck()
    with page.expect_navigation():
        page.locator("input[name=submit][type=submit]").first.click()
    assert page.locator("#topics-erreur").is_visible()
    assert page.locator("input[name=quartiers]:checked").count() == 1  # the choices kept
    phone.console_errors[:] = [e for e in phone.console_errors if "status of 422" not in e]
    check(phone, lang)
    page.locator("input[name=topics][value=chantiers]").check()
    with page.expect_navigation():
        page.locator("input[name=submit][type=submit]").first.click()
    assert page.locator("p.notice[role=status]").is_visible()
    assert page.locator("input[name=topics][value=chantiers]").is_checked()
    phone.screenshot(f"abonnement-gerer-{lang}")
    check(phone, lang)
