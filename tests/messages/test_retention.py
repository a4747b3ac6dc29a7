"""How long the messages domain keeps personal data, and /donnees-personnelles saying so with
the same figures the purge uses."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.messages.models import Message, MessageState, Subscription
from portal.messages.outbox import enqueue
from portal.messages.retention import purge_personal_data
from portal.transaction import unit_of_work
from tests.messages.factories import make_subscription

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_purge_forgets_what_is_past_its_time_and_keeps_the_rest(app, db, frozen_clock):
    frozen_clock(NOW)
    days = app.config["SUBSCRIPTION_UNCONFIRMED_DAYS"]
    make_subscription("ancienne@example.org", confirmed=False,
                      created_at=NOW - timedelta(days=days + 1))
    make_subscription("recente@example.org", confirmed=False, created_at=NOW - timedelta(days=1))
    make_subscription("fidele@example.org", created_at=NOW - timedelta(days=400))
    old = enqueue("x@example.org", kind="notice", subject="s", body="b")
    old.state, old.created_at = MessageState.SENT, NOW - timedelta(
        days=app.config["MESSAGES_KEEP_SENT_DAYS"] + 1)
    dead = enqueue("y@example.org", kind="notice", subject="s", body="b")
    dead.state, dead.created_at = MessageState.DEAD, NOW - timedelta(
        days=app.config["MESSAGES_KEEP_SENT_DAYS"] + 1)  # dead ones stay longer
    db.session.commit()
    with unit_of_work():
        counts = purge_personal_data()
    assert counts["unconfirmed"] == 1 and counts["sent"] == 1 and counts["dead"] == 0
    assert sorted(db.session.scalars(select(Subscription.address))) == [
        "fidele@example.org", "recente@example.org"]
    assert db.session.scalars(select(Message.recipient)).all() == ["y@example.org"]


def test_privacy_page_says_what_subscriptions_keep_and_how_long(app, client):
    page = client.get("/donnees-personnelles").get_data(as_text=True)
    section = page[page.index('id="abonnements"'):]
    config = app.config
    for figure in (config["SUBSCRIPTION_UNCONFIRMED_DAYS"], config["SUBSCRIPTION_CONFIRM_HOURS"],
                   config["MESSAGES_KEEP_SENT_DAYS"], config["MESSAGES_KEEP_DEAD_DAYS"]):
        assert f"{figure} " in section
    for said in ("adresse e-mail", "numéro de portable", "quartiers", "langue",
                 "STOP", "Gérer mon abonnement", "Brevo"):
        assert said in section


def test_privacy_page_follows_the_settings(app, client):
    saved = app.config["SUBSCRIPTION_UNCONFIRMED_DAYS"]
    app.config["SUBSCRIPTION_UNCONFIRMED_DAYS"] = 11
    try:
        assert "11 jours" in client.get("/donnees-personnelles").get_data(as_text=True)
    finally:
        app.config["SUBSCRIPTION_UNCONFIRMED_DAYS"] = saved
