"""/abonnements/: subscribing by e-mail (a link, confirmed by a POST) or SMS (a 6-digit code),
form errors, rate limits, one-click unsubscribe (RFC 8058)."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import limiter
from portal.messages import worker
from portal.messages.models import Channel, Message, Subscription
from tests.conftest import csrf_token
from tests.factories import make_quartier

URL = "/abonnements/"


@pytest.fixture
def quartiers(db):
    limiter.reset()
    yield {slug: make_quartier(slug) for slug in ("alma", "pile")}
    limiter.reset()


def form_data(client, rows, **changes):
    data = {"csrf_token": csrf_token(client, URL), "quartiers": [str(rows["alma"].id)],
            "topics": ["actualites", "maison-mobile"], "channel": "email",
            "email": "Habitante@Example.org", "phone": "", "language": "fr", "website": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count(db, model=Subscription):
    return db.session.scalar(select(func.count()).select_from(model))


def last_mail_link(sent, marker):
    worker.deliver_all()
    text = sent["email"][-1].get_content()
    return re.search(rf"https?://\S+{marker}\S+", text).group(0)


def test_page_offers_quartiers_topics_and_channels(client, quartiers):
    page = client.get(URL).get_data(as_text=True)
    assert "Alma" in page and "Maison Mobile" in page and 'value="sms"' in page
    assert "STOP" in page


def test_email_subscription_is_confirmed_by_a_post_not_by_opening_the_link(client, db, sent,
                                                                           quartiers):
    response = client.post(URL, data=form_data(client, quartiers))
    assert response.status_code == 302 and "verifiez-vos-emails" in response.headers["Location"]
    subscription = db.session.scalars(select(Subscription)).one()
    assert subscription.address == "habitante@example.org" and not subscription.active
    link = last_mail_link(sent, "/abonnements/confirmer/")
    path = link[link.index("/abonnements/"):]
    page = client.get(path)  # what a mail scanner does
    assert page.status_code == 200 and "Confirmer mon abonnement" in page.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Subscription, subscription.id).active
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.expire_all()
    subscription = db.session.get(Subscription, subscription.id)
    assert subscription.active and [q.slug for q in subscription.quartiers] == ["alma"]
    assert subscription.topics == ["actualites", "maison-mobile"]
    assert client.get(path).status_code == 404  # the link served once


def test_sms_subscription_is_confirmed_by_its_code(client, db, sent, quartiers):
    response = client.post(URL, data=form_data(client, quartiers, channel="sms", email="",
                                               phone="06 12 34 56 78", language="ar"))
    assert response.status_code == 302
    code_page = response.headers["Location"]
    worker.deliver_all()
    (sms,) = sent["sms"]
    assert sms["to"] == "+33612345678"
    code = re.search(r"\d{6}", sms["text"]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(code_page, data={"code": wrong,
                                            "csrf_token": csrf_token(client, code_page)})
    assert response.status_code == 422
    assert "pas le bon" in response.get_data(as_text=True) or response.status_code == 422
    assert not db.session.scalars(select(Subscription)).one().active
    response = client.post(code_page, data={"code": code,
                                            "csrf_token": csrf_token(client, code_page)})
    assert response.status_code == 302
    db.session.expire_all()
    subscription = db.session.scalars(select(Subscription)).one()
    assert subscription.active and subscription.language == "ar"
    assert subscription.channel is Channel.SMS


def test_code_stops_working_after_five_wrong_tries(client, db, sent, quartiers):
    response = client.post(URL, data=form_data(client, quartiers, channel="sms", email="",
                                               phone="0612345678"))
    code_page = response.headers["Location"]
    worker.deliver_all()
    code = re.search(r"\d{6}", sent["sms"][0]["text"]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(code_page, data={"code": wrong, "csrf_token": csrf_token(client, code_page)})
    response = client.post(code_page, data={"code": code,
                                            "csrf_token": csrf_token(client, code_page)})
    assert response.status_code == 422
    assert not db.session.scalars(select(Subscription)).one().active


@pytest.mark.parametrize("changes, field, message", [
    ({"email": "pas-une-adresse"}, "email", "pas valide"),
    ({"email": ""}, "email", "Écrivez votre adresse"),
    ({"channel": "sms", "email": "", "phone": "03 20 66 46 00"}, "phone", "portable"),
    ({"channel": "sms", "email": "", "phone": "bonjour"}, "phone", "portable"),
    ({"channel": "sms", "email": "", "phone": ""}, "phone", "numéro de portable"),
    ({"quartiers": None}, "quartiers", "au moins un quartier"),
    ({"topics": None}, "topics", "au moins un sujet"),
    ({"channel": "pigeon"}, "channel", ""),
])
def test_invalid_form_is_shown_again_with_the_message_and_what_was_typed(
        client, db, sent, quartiers, changes, field, message):
    response = client.post(URL, data=form_data(client, quartiers, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-erreur"' in page and message in page
    for name in ("email", "phone"):
        typed = changes.get(name, form_data(client, quartiers)[name])
        if typed:
            assert f'value="{typed}"' in page
    assert count(db) == 0 and count(db, Message) == 0


def test_csrf_is_refused(client, db, quartiers):
    data = form_data(client, quartiers)
    data["csrf_token"] = "forged"
    assert client.post(URL, data=data).status_code == 400
    assert count(db) == 0


def test_robot_filling_the_hidden_field_is_told_the_same_and_nothing_is_sent(client, db,
                                                                             quartiers):
    response = client.post(URL, data=form_data(client, quartiers, website="http://spam"))
    assert response.status_code == 302
    assert count(db) == 0 and count(db, Message) == 0


def test_at_most_three_confirmations_a_day_to_one_number_whoever_asks(app, db, sent,
                                                                      quartiers):
    statuses = []
    for n in range(4):
        client = app.test_client()  # four different visitors
        data = form_data(client, quartiers, channel="sms", email="", phone="06 12 34 56 78")
        statuses.append(client.post(URL, data=data, environ_base={
            "REMOTE_ADDR": f"192.0.2.{n + 1}"}).status_code)
    assert statuses == [302, 302, 302, 429]
    assert count(db, Message) == 3


def test_unsubscribe_page_only_shows_a_button_and_the_post_deletes(client, db, sent,
                                                                   quartiers):
    client.post(URL, data=form_data(client, quartiers))
    subscription = db.session.scalars(select(Subscription)).one()
    path = f"/abonnements/desabonnement/{subscription.unsubscribe_token}"
    assert client.get(path).status_code == 200
    assert count(db) == 1
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert count(db) == 0
    assert client.get(path).status_code == 404


def test_one_click_unsubscribe_rfc8058(client, db, sent, quartiers):
    client.post(URL, data=form_data(client, quartiers))
    subscription = db.session.scalars(select(Subscription)).one()
    path = f"/abonnements/desabonnement/{subscription.unsubscribe_token}"
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # no cookie, no CSRF
    assert response.status_code == 204
    assert count(db) == 0


def test_expired_or_unknown_links_say_so(client, quartiers):
    assert client.get("/abonnements/confirmer/inconnu").status_code == 404
    assert client.get("/abonnements/code/inconnu").status_code == 404


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_pages_in_every_language(client, quartiers, lang):
    for path in (URL, "/abonnements/verifiez-vos-emails", "/abonnements/confirme",
                 "/abonnements/desabonne"):
        assert client.get(f"{path}?lang={lang}").status_code == 200


# --- managing one's subscription from a digest's link --------------------------------------

def manage_path(subscription) -> str:
    from portal.messages.subscriptions import manage_token

    return f"/abonnements/gerer/{manage_token(subscription)}"


def manage_data(client, path, rows, **changes):
    html = client.get(path).get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                    html).group(1),
            "key": re.search(r'name="key" type="hidden" value="([^"]+)"', html).group(1),
            "quartiers": [str(rows["pile"].id)], "topics": ["chantiers"], "language": "ar"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def subscriber(db, quartiers):
    from tests.messages.factories import make_subscription

    return make_subscription("habitante@example.org", quartiers=[quartiers["alma"]],
                             topics=["actualites"])


def test_manage_page_shows_the_choices_and_hides_most_of_the_address(client, subscriber):
    page = client.get(manage_path(subscriber)).get_data(as_text=True)
    assert "h…@example.org" in page and "habitante@" not in page
    assert re.search(r'checked[^>]*value="actualites"|value="actualites"[^>]*checked', page)
    assert f"/abonnements/desabonnement/{subscriber.unsubscribe_token}" in page


def test_manage_changes_quartiers_topics_and_language(client, db, subscriber, quartiers):
    path = manage_path(subscriber)
    response = client.post(path, data=manage_data(client, path, quartiers))
    assert response.status_code == 302 and "enregistre=1" in response.headers["Location"]
    db.session.expire_all()
    subscription = db.session.get(Subscription, subscriber.id)
    assert [q.slug for q in subscription.quartiers] == ["pile"]
    assert subscription.topics == ["chantiers"] and subscription.language == "ar"
    assert "Vos choix sont enregistrés" in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_manage_form_sent_twice_changes_once(client, db, subscriber, quartiers):
    path = manage_path(subscriber)
    form = manage_data(client, path, quartiers)
    assert client.post(path, data=form).status_code == 302
    db.session.expire_all()
    version = db.session.get(Subscription, subscriber.id).manage_key
    again = client.post(path, data=form)  # a double tap: answered as saved, nothing changes
    assert again.status_code == 302 and "enregistre=1" in again.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Subscription, subscriber.id).manage_key == version


def test_an_older_form_takes_nothing_back(client, db, subscriber, quartiers):
    """Two tabs: the second changes the language, then the first is sent: it is shown again
    with what is saved now, and changes nothing."""
    path = manage_path(subscriber)
    first = manage_data(client, path, quartiers, language="ar")
    second = manage_data(client, path, quartiers, language="en")
    assert client.post(path, data=second).status_code == 302
    response = client.post(path, data=first)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "ont changé depuis" in page
    assert re.search(r'checked[^>]*value="en"|value="en"[^>]*checked', page)
    db.session.expire_all()
    assert db.session.get(Subscription, subscriber.id).language == "en"


@pytest.mark.parametrize("changes, field", [
    ({"quartiers": None}, "quartiers"),
    ({"topics": None}, "topics"),
    ({"topics": ["pigeons"]}, "topics"),
    ({"language": "xx"}, "language"),
    ({"quartiers": ["999999"]}, "quartiers"),
])
def test_manage_form_is_shown_again_with_the_message_and_the_choices_kept(
        client, db, subscriber, quartiers, changes, field):
    path = manage_path(subscriber)
    response = client.post(path, data=manage_data(client, path, quartiers, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-erreur"' in page
    if field != "topics":  # what was ticked is still ticked
        assert re.search(r'checked[^>]*value="chantiers"|value="chantiers"[^>]*checked', page)
    db.session.expire_all()
    assert db.session.get(Subscription, subscriber.id).topics == ["actualites"]


def test_manage_form_refuses_a_forged_key_or_csrf(client, db, subscriber, quartiers):
    path = manage_path(subscriber)
    assert client.post(path, data=manage_data(client, path, quartiers,
                                              key="<b>x</b>")).status_code == 422
    assert client.post(path, data=manage_data(client, path, quartiers,
                                              csrf_token="forged")).status_code == 400
    db.session.expire_all()
    assert db.session.get(Subscription, subscriber.id).language == "fr"


def test_a_tampered_manage_link_is_refused(client, db, subscriber):
    from portal.messages.subscriptions import manage_token

    token = manage_token(subscriber)
    base, signature = token.split(".")
    other = "A" if signature[0] != "A" else "B"
    for forged in (f"{base}.{other}{signature[1:]}", base, f"{base}.", f".{signature}",
                   f"{base[:-1]}x.{signature}", f"{base}.{signature}é", "x" * 300):
        assert client.get(f"/abonnements/gerer/{forged}").status_code == 404, forged
        assert client.post(f"/abonnements/gerer/{forged}").status_code in (400, 404)
    assert client.get(f"/abonnements/gerer/{token}").status_code == 200


def test_manage_link_ends_with_the_subscription(client, db, subscriber):
    path = manage_path(subscriber)
    unsubscribe = f"/abonnements/desabonnement/{subscriber.unsubscribe_token}"
    client.post(unsubscribe, data={"csrf_token": csrf_token(client, unsubscribe)})
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_manage_page_in_every_language(client, subscriber, lang):
    assert client.get(f"{manage_path(subscriber)}?lang={lang}").status_code == 200
