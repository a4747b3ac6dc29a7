""""Est-ce réglé ?": when staff mark a report resolved, its author (if reachable) gets two
signed one-tap links through the outbox; each opens a page whose button answers (a GET
changes nothing: mail scanners follow links). "Oui" is recorded on the timeline, "non"
reopens the report and tells its moderators; a tampered token is refused, a second tap or an
old link changes nothing."""

import re

from portal.backoffice.models import AuditEntry
from portal.contributions import follow
from portal.contributions.models import Contribution, Status
from portal.extensions import db
from portal.messages.models import Message, StaffPending
from tests.backoffice_helpers import token_from
from tests.contributions.factories import make_contribution

CONTACT = {"phone": "", "email": "habitant@exemple.example"}


def resolve(project_client, row, note="Lampe changée."):
    url = f"/admin/contributions/{row.id}"
    token = token_from(project_client.get(url).get_data(as_text=True))
    response = project_client.post(url + "/suivi", data={
        "csrf_token": token, "suivi-status": "resolved", "suivi-note": note})
    assert response.status_code == 302


def settled_messages() -> list[Message]:
    return list(db.session.scalars(db.select(Message).where(
        Message.kind == "contribution_settled").order_by(Message.id)))


def links(message: Message) -> dict[str, str]:
    found = re.findall(r"https?://[^/\s]+(/contributions/regle/[^\s]+)", message.body)
    return {"oui": found[0], "non": found[1]}


def press(client, path):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"csrf_token": token_from(page.get_data(as_text=True))})


def timeline(row) -> list[tuple[str, str]]:
    db.session.expire_all()
    row = db.session.get(Contribution, row.id)
    return [(u.status.value, u.by_author) for u in row.updates]


def test_resolving_sends_two_signed_links(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    [message] = settled_messages()
    assert message.recipient == "habitant@exemple.example"
    assert "Est-ce réglé ?" in message.subject
    found = links(message)
    for answer, path in found.items():
        token = path.rsplit("/", 1)[1].split("?")[0]
        assert follow.from_settled_token(token)[2] == answer
    assert not db.session.scalars(db.select(Message).where(
        Message.kind == "contribution_news")).all()  # not told twice


def test_no_contact_no_question(now, project_client, quartiers):
    row = make_contribution(quartiers["alma"])
    resolve(project_client, row)
    assert settled_messages() == []


def test_the_sms_has_one_link_to_both_buttons(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact={"phone": "+33612345678", "email": ""})
    resolve(project_client, row)
    [message] = settled_messages()
    [path] = re.findall(r"https?://[^/\s]+(/contributions/regle/[^\s]+)", message.body)
    page = client.get(path).get_data(as_text=True)
    assert page.count('name="reponse"') == 2
    token = token_from(page)
    assert client.post(path, data={"csrf_token": token, "reponse": "peut-être"}
                       ).status_code == 422
    assert client.post(path, data={"csrf_token": token, "reponse": "oui"}).status_code == 200
    assert timeline(row)[-1] == ("resolved", "confirmed")


def test_opening_a_link_changes_nothing(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    no = links(settled_messages()[0])["non"]
    page = client.get(no)
    assert page.status_code == 200 and "rouvrir le signalement" in page.get_data(as_text=True)
    client.get(no)
    assert timeline(row) == [("received", ""), ("resolved", "")]
    assert client.post(no, data={}).status_code == 400  # no CSRF token: nothing done
    assert timeline(row) == [("received", ""), ("resolved", "")]


def test_oui_is_recorded_once(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    yes = links(settled_messages()[0])["oui"]
    assert press(client, yes).status_code == 200
    assert timeline(row) == [("received", ""), ("resolved", ""), ("resolved", "confirmed")]
    again = client.get(yes)
    assert again.status_code == 409 and "déjà servi" in again.get_data(as_text=True)
    assert timeline(row)[-1] == ("resolved", "confirmed") and len(timeline(row)) == 3
    page = client.get(f"/contributions/{row.id}").get_data(as_text=True)
    assert "Réglé : confirmé par l’habitant" in page
    # the other link of the same message is spent too
    assert client.get(links(settled_messages()[0])["non"]).status_code == 409
    assert db.session.get(Contribution, row.id).status is Status.RESOLVED


def test_double_tap_records_once(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    no = links(settled_messages()[0])["non"]
    token = token_from(client.get(no).get_data(as_text=True))
    first = client.post(no, data={"csrf_token": token})
    second = client.post(no, data={"csrf_token": token})
    assert (first.status_code, second.status_code) == (200, 409)
    assert [s for s in timeline(row) if s[1]] == [("in_progress", "reopened")]


def test_non_reopens_tells_moderators_and_resolving_again_asks_again(
        now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    first = links(settled_messages()[0])
    assert press(client, first["non"]).status_code == 200
    reopened = db.session.get(Contribution, row.id)
    assert reopened.status is Status.IN_PROGRESS and reopened.closed_at is None
    told = db.session.scalars(db.select(Message).where(Message.kind == "staff_awaiting")).all()
    waiting = db.session.scalars(db.select(StaffPending).where(
        StaffPending.item_key.like(f"contribution-reopened:{row.id}:%"))).all()
    assert told or waiting
    assert "reopened_by_author" in [e.action for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_id == str(row.id)))]
    page = client.get(f"/contributions/{row.id}").get_data(as_text=True)
    assert "Rouvert par l’habitant" in page

    resolve(project_client, row, note="Lampe changée, vraiment.")
    assert len(settled_messages()) == 2
    assert client.get(first["oui"]).status_code == 409  # the old message's links are spent
    assert press(client, links(settled_messages()[1])["oui"]).status_code == 200
    assert timeline(row) == [("received", ""), ("resolved", ""), ("in_progress", "reopened"),
                             ("resolved", ""), ("resolved", "confirmed")]


def test_a_tampered_token_is_refused(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    resolve(project_client, row)
    yes = links(settled_messages()[0])["oui"]
    path, _, query = yes.partition("?")
    token = path.rsplit("/", 1)[1]
    forged = follow.settled_token(row, 999, "non").split(".")[0] + "." + token.split(".")[1]
    csrf = token_from(client.get(yes).get_data(as_text=True))
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "x"):
        response = client.get(f"/contributions/regle/{bad}")
        assert response.status_code == 404
        assert "pas valable" in response.get_data(as_text=True)
        assert client.post(f"/contributions/regle/{bad}",
                           data={"csrf_token": csrf}).status_code == 404
    # a follow token is not an answer
    follow_token = follow.token(row)
    assert client.get(f"/contributions/regle/{follow_token}").status_code == 404
    assert timeline(row) == [("received", ""), ("resolved", "")]


def test_pages_in_english_and_arabic(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT, language="ar")
    resolve(project_client, row)
    [message] = settled_messages()
    assert "هل" in message.subject
    yes = links(message)["oui"]
    assert "نعم" in client.get(yes).get_data(as_text=True)
    english = client.get(yes.split("?")[0] + "?lang=en").get_data(as_text=True)
    assert "Yes, it is fixed" in english
