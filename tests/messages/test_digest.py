"""The weekly digest: what is new in each subscriber's quartiers and topics, in their
language; nothing when nothing is new; once a week however often the command runs."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.calendar import PARIS
from portal.messages import worker
from portal.messages.digest import send_weekly_digest
from portal.messages.models import Message
from portal.messages.sms_text import segments
from tests.factories import make_news, make_quartier
from tests.messages.factories import make_subscription
from tests.mobile_house.factories import make_visit

MONDAY = datetime(2026, 12, 7, 9, tzinfo=PARIS)


@pytest.fixture
def week(frozen_clock):
    frozen_clock(MONDAY)


def messages(db):
    return db.session.scalar(select(func.count(Message.id)))


def test_nothing_new_sends_nothing(db, sent, week):
    alma = make_quartier("alma")
    make_subscription(quartiers=[alma], topics=["actualites", "chantiers"])
    make_news(quartiers=[alma], published_at=datetime(2026, 11, 1, tzinfo=UTC))  # old
    assert send_weekly_digest() == 0
    assert messages(db) == 0


def test_subscriber_gets_the_news_of_their_quartier_only(db, sent, week):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_news(title="Le square rouvre", quartiers=[alma],
              published_at=datetime(2026, 12, 4, 10, tzinfo=UTC))
    make_subscription("alma@example.org", quartiers=[alma])
    make_subscription("pile@example.org", quartiers=[pile])
    make_subscription("pas-confirme@example.org", quartiers=[alma], confirmed=False)
    make_subscription("chantiers@example.org", quartiers=[alma], topics=["chantiers"])
    assert send_weekly_digest() == 1
    worker.deliver_all()
    (mail,) = sent["email"]
    assert mail["To"] == "alma@example.org"
    assert "Le square rouvre" in mail.get_body(("plain",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_twice_in_a_week_sends_once(db, sent, week):
    alma = make_quartier("alma")
    make_news(quartiers=[alma], published_at=datetime(2026, 12, 4, tzinfo=UTC))
    make_subscription(quartiers=[alma])
    assert send_weekly_digest() == 1
    send_weekly_digest()
    assert messages(db) == 1


def test_sms_digest_says_when_and_where_the_maison_mobile_comes(db, sent, week):
    alma = make_quartier("alma")
    make_visit(alma, place_name="Place de la Fraternité", address="Rue de l'Alma",
               rrule="FREQ=WEEKLY;BYDAY=WE")
    make_subscription("06 12 34 56 78".replace(" ", ""), quartiers=[alma],
                      topics=["maison-mobile"])
    assert send_weekly_digest() == 1
    worker.deliver_all()
    (sms,) = sent["sms"]
    assert "Place de la Fraternité" in sms["text"] and "mercredi 9 décembre" in sms["text"]
    assert "14 h" in sms["text"] and "/abonnements/desabonnement/" in sms["text"]


def test_digest_is_written_in_the_subscribers_language(db, sent, week):
    alma = make_quartier("alma")
    make_news(title="Le square rouvre", quartiers=[alma],
              translations={"ar": {"title": "الحديقة تفتح"}},
              published_at=datetime(2026, 12, 4, tzinfo=UTC))
    make_subscription(quartiers=[alma], language="ar")
    send_weekly_digest()
    worker.deliver_all()
    (mail,) = sent["email"]
    assert mail["Content-Language"] == "ar"
    assert "الحديقة تفتح" in mail.get_body(("plain",)).get_content()


def test_every_digest_links_to_the_page_that_changes_the_choices(client, db, sent, week):
    alma = make_quartier("alma")
    make_news(title="Le square rouvre", quartiers=[alma],
              published_at=datetime(2026, 12, 4, 10, tzinfo=UTC))
    make_subscription(quartiers=[alma])
    send_weekly_digest()
    worker.deliver_all()
    (mail,) = sent["email"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = re.search(r"https?://\S+(/abonnements/gerer/\S+)", text).group(1)
    assert link in html
    assert "Gérer mon abonnement" in client.get(link).get_data(as_text=True)


def test_sms_digest_has_the_manage_link_when_there_is_room(db, sent, week):
    alma = make_quartier("alma")
    make_news(title="Le square rouvre", quartiers=[alma],
              published_at=datetime(2026, 12, 4, 10, tzinfo=UTC))
    make_news(title="Réunion " + "très longue " * 15, quartiers=[alma], slug="longue",
              published_at=datetime(2026, 12, 5, 10, tzinfo=UTC))
    pile = make_quartier("pile")
    make_news(title="Le marché revient", quartiers=[pile], slug="marche",
              published_at=datetime(2026, 12, 4, 10, tzinfo=UTC))
    make_subscription("+33612345678", quartiers=[pile])
    make_subscription("+33698765432", quartiers=[alma])
    assert send_weekly_digest() == 2
    worker.deliver_all()
    texts = {sms["to"]: sms["text"] for sms in sent["sms"]}
    roomy, crowded = texts["+33612345678"], texts["+33698765432"]
    assert "/abonnements/gerer/" in roomy and "/abonnements/desabonnement/" in roomy
    assert segments(roomy) <= 2 and segments(crowded) <= 2
    # No room: the link to the choices goes first, the way out always stays.
    assert "/abonnements/gerer/" not in crowded and "/abonnements/desabonnement/" in crowded
