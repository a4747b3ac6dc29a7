"""Staff hear of items awaiting their validation in their quartiers: at once, or in a daily
digest, as each account chose."""

from portal.backoffice.models import Role
from portal.messages import worker
from portal.messages.models import NotifyMode
from portal.messages.staff import notify_staff_awaiting, send_staff_digests, set_mode
from portal.transaction import unit_of_work
from tests.backoffice_helpers import make_user
from tests.factories import make_quartier


def recipients(sent):
    worker.deliver_all()
    return sorted(mail["To"] for mail in sent["email"])


def test_validators_of_the_quartier_are_told_at_once(db, sent):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_user(Role.TEAM, quartiers=[alma], email="alma@ville-roubaix.example")
    make_user(Role.TEAM, quartiers=[pile], email="pile@ville-roubaix.example")
    make_user(Role.PROJECT, email="projet@ville-roubaix.example")
    make_user(Role.PROJECT, email="parti@ville-roubaix.example", active=False)
    with unit_of_work():
        told = notify_staff_awaiting("event:7", [alma.id], title="Balade urbaine",
                                     url="http://localhost/admin/a-valider/")
    assert told == 2
    assert recipients(sent) == ["alma@ville-roubaix.example", "projet@ville-roubaix.example"]
    assert "Balade urbaine" in sent["email"][0]["Subject"]


def test_telling_twice_about_one_item_sends_once(db, sent):
    alma = make_quartier("alma")
    make_user(Role.TEAM, quartiers=[alma])
    for _ in range(2):
        with unit_of_work():
            notify_staff_awaiting("event:7", [alma.id], title="Balade")
    assert len(recipients(sent)) == 1


def test_daily_digest_lists_the_items_once(db, sent):
    alma = make_quartier("alma")
    user = make_user(Role.TEAM, quartiers=[alma], email="equipe@ville-roubaix.example")
    quiet = make_user(Role.PROJECT)
    with unit_of_work():
        set_mode(user, NotifyMode.DAILY)
        set_mode(quiet, NotifyMode.NEVER)
    with unit_of_work():
        notify_staff_awaiting("event:1", [alma.id], title="Atelier vélo")
        notify_staff_awaiting("contribution:2", [alma.id], title="Trottoir abîmé")
    assert recipients(sent) == []  # nothing at once
    with unit_of_work():
        assert send_staff_digests() == 1
    (mail,) = sent["email"] if recipients(sent) else [None]
    text = mail.get_content()
    assert mail["To"] == "equipe@ville-roubaix.example"
    assert "Atelier vélo" in text and "Trottoir abîmé" in text
    with unit_of_work():
        assert send_staff_digests() == 0  # already told
