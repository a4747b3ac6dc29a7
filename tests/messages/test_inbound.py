"""SMS replies from Brevo's webhook (POST /abonnements/sms/entrant): "STOP" and its French and
Arabic forms delete the number's subscription; the webhook is refused without the shared
secret; delivery events and other replies change nothing."""

import base64

import pytest
from sqlalchemy import func, select

from portal.messages import inbound
from portal.messages.models import Message, MessageState, Subscription
from portal.messages.outbox import enqueue
from tests.messages.factories import make_subscription

URL = "/abonnements/sms/entrant"
SECRET = "s3cret-partage-avec-brevo"
NUMBER = "+33612345678"


@pytest.fixture
def secret(app):
    saved = app.config["SMS_INBOUND_SECRET"]
    app.config["SMS_INBOUND_SECRET"] = SECRET
    yield SECRET
    app.config["SMS_INBOUND_SECRET"] = saved


def brevo_event(msg_status="replied", reply="STOP", to="33612345678", **fields) -> dict:
    """A transactional SMS event as Brevo posts it (its documented attributes)."""
    event = {"id": 26570, "to": to, "sms_count": 1, "credits_used": 1.5, "messageId": 123,
             "remaining_credit": 11488.845, "msg_status": msg_status,
             "date": "2026-12-07 18:02:11", "type": "transactional", "reference": {"1": "r"},
             "tag": "digest", "ts_event": 1796666531, **fields}
    if reply is not None:
        event["reply"] = reply
    return event


def post(client, payload, token=SECRET, **headers):
    if token is not None:
        headers.setdefault("Authorization", f"Bearer {token}")
    return client.post(URL, json=payload, headers=headers)


def subscriptions(db) -> int:
    return db.session.scalar(select(func.count(Subscription.id)))


@pytest.mark.parametrize("reply", ["STOP", "stop", "Stop", " Stop. ", "ARRET", "ARRÊT",
                                   "arrêt merci", "desabonner", "Désabonner", "STOP SMS",
                                   "توقف", "unsubscribe"])
def test_a_stop_reply_deletes_the_subscription_of_that_number(client, db, secret, reply):
    subscription = make_subscription(NUMBER)
    queued = enqueue(subscription, kind="notice", context={"text": "Réunion mardi"}).id
    db.session.commit()
    response = post(client, brevo_event(reply=reply))
    assert response.status_code == 200 and response.get_json() == {"deleted": 1}
    db.session.expire_all()
    assert subscriptions(db) == 0
    assert db.session.get(Message, queued) is None  # nothing more leaves for it


def test_brevo_taking_the_number_off_deletes_it_too(client, db, secret):
    make_subscription(NUMBER)
    assert post(client, brevo_event("unsubscribe", reply=None)).get_json() == {"deleted": 1}
    assert subscriptions(db) == 0


def test_a_batch_of_events_is_read_whole(client, db, secret):
    make_subscription(NUMBER)
    make_subscription("+33698765432")
    payload = [brevo_event("delivered", reply=None), brevo_event(),
               brevo_event(to="33698765432", reply="Arrêt")]
    assert post(client, payload).get_json() == {"deleted": 2}
    assert subscriptions(db) == 0


@pytest.mark.parametrize("event", [
    brevo_event(reply="Merci, je viendrai"),
    brevo_event(reply="je ne veux pas stop"),
    brevo_event(reply=""),
    brevo_event("delivered", reply=None),
    brevo_event("hard_bounce", reply=None),
    brevo_event(to="33699999999"),  # a number with no subscription
    brevo_event(to="not a number"),
    brevo_event(reply=["STOP"]),
    "STOP",
])
def test_other_events_change_nothing(client, db, secret, event):
    make_subscription(NUMBER)
    response = post(client, event)
    assert response.status_code == 200 and response.get_json() == {"deleted": 0}
    assert subscriptions(db) == 1


def test_an_email_subscription_is_never_touched_by_an_sms(client, db, secret):
    make_subscription("lectrice@example.org")
    assert post(client, brevo_event(to="lectrice@example.org")).get_json() == {"deleted": 0}
    assert subscriptions(db) == 1


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer mauvais"},
    {"Authorization": f"Bearer {SECRET}x"},
    {"Authorization": SECRET},
    {"Authorization": "Basic !!!"},
    {"Authorization": "Basic " + base64.b64encode(b"brevo:mauvais").decode()},
    {"Authorization": "Bearer é"},
])
def test_refused_without_the_secret(client, db, secret, headers):
    make_subscription(NUMBER)
    response = client.post(URL, json=brevo_event(), headers=headers)
    assert response.status_code == 401
    assert subscriptions(db) == 1


def test_the_secret_in_the_url_reaches_us_as_basic_authentication(client, db, secret):
    """Brevo's https://user:secret@host/... becomes an Authorization: Basic header."""
    make_subscription(NUMBER)
    basic = base64.b64encode(f"brevo:{SECRET}".encode()).decode()
    response = post(client, brevo_event(), token=None, Authorization=f"Basic {basic}")
    assert response.get_json() == {"deleted": 1}


def test_refused_when_no_secret_is_set(app, client, db):
    app.config["SMS_INBOUND_SECRET"], saved = "", app.config["SMS_INBOUND_SECRET"]
    try:
        make_subscription(NUMBER)
        assert post(client, brevo_event(), token="").status_code == 401
        assert subscriptions(db) == 1
    finally:
        app.config["SMS_INBOUND_SECRET"] = saved


def test_only_this_route_goes_without_csrf(client, db, secret):
    """The webhook needs no CSRF token; the forms beside it still do."""
    make_subscription(NUMBER)
    assert post(client, brevo_event()).status_code == 200
    assert client.post("/abonnements/", data={"email": "x@example.org"}).status_code == 400


def test_a_body_that_is_not_json_is_refused(client, db, secret):
    response = client.post(URL, data="STOP", headers={"Authorization": f"Bearer {SECRET}"})
    assert response.status_code == 400


def test_is_stop_reads_the_first_word_only():
    assert inbound.is_stop("Stop !") and inbound.is_stop("ARRÊTEZ")
    assert inbound.is_stop("إيقاف")
    assert not inbound.is_stop("Pouvez-vous arrêter ?") and not inbound.is_stop(None)


def test_sent_messages_stay_for_the_admins(client, db, secret):
    """Unsubscribing deletes what was still waiting, not the record of what left."""
    subscription = make_subscription(NUMBER)
    sent = enqueue(subscription, kind="notice", context={"text": "Réunion mardi"})
    sent.state = MessageState.SENT
    db.session.commit()
    sent_id = sent.id
    assert post(client, brevo_event()).get_json() == {"deleted": 1}
    db.session.expire_all()
    assert db.session.get(Message, sent_id) is not None
