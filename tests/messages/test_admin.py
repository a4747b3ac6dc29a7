"""/admin/messages/: counts by state, failed and dead messages with the provider's error,
"renvoyer", bodies with personal data for admins only, secret ones for nobody."""

from sqlalchemy import func, select

from portal.backoffice.models import AuditEntry, Role
from portal.messages.models import MessageState
from portal.messages.outbox import enqueue
from portal.transaction import unit_of_work
from tests.backoffice_helpers import log_in_as, make_user, token_from


def dead_message(**kwargs):
    with unit_of_work():
        message = enqueue("habitant@example.org", kind="notice",
                          context={"subject": "Votre inscription", "text": "Marie, 12 rue X"},
                          **kwargs)
        message.state = MessageState.DEAD
        message.attempts = 8
        message.last_error = "SMTP 550 5.1.1 mailbox unavailable"
    return message


def test_admin_sees_counts_by_state_and_the_providers_error(backoffice, client, db):
    dead_message()
    log_in_as(client, make_user(Role.ADMIN))
    page = client.get("/admin/messages/").get_data(as_text=True)
    assert "Non distribuable" in page and "En attente" in page
    assert "SMTP 550 5.1.1 mailbox unavailable" in page and "Renvoyer" in page


def test_state_names_are_translated(backoffice, client, db):
    dead_message()
    log_in_as(client, make_user(Role.ADMIN))
    page = client.get("/admin/messages/?lang=en").get_data(as_text=True)
    assert "Undeliverable" in page


def test_admin_reads_a_personal_body(backoffice, client, db):
    message = dead_message()
    log_in_as(client, make_user(Role.ADMIN))
    page = client.get(f"/admin/messages/{message.id}").get_data(as_text=True)
    assert "Marie, 12 rue X" in page


def test_nobody_reads_a_secret_body(backoffice, client, db):
    message = dead_message(secret=True)
    log_in_as(client, make_user(Role.ADMIN))
    page = client.get(f"/admin/messages/{message.id}").get_data(as_text=True)
    assert "Marie, 12 rue X" not in page and "lien secret" in page


def test_project_team_is_refused_and_nothing_changes(backoffice, client, db):
    message = dead_message()
    log_in_as(client, make_user(Role.PROJECT))
    assert client.get("/admin/messages/").status_code == 403
    assert client.get(f"/admin/messages/{message.id}").status_code == 403
    assert client.post(f"/admin/messages/{message.id}/renvoyer").status_code in {400, 403}
    db.session.expire_all()
    assert message.state is MessageState.DEAD


def test_resend_puts_the_message_back_in_the_queue_with_an_audit_entry(backoffice, client, db):
    message = dead_message()
    log_in_as(client, make_user(Role.ADMIN))
    token = token_from(client.get(f"/admin/messages/{message.id}").get_data(as_text=True))
    response = client.post(f"/admin/messages/{message.id}/renvoyer", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 0)
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="resend")) == 1


def test_resend_without_csrf_is_refused(backoffice, client, db):
    message = dead_message()
    log_in_as(client, make_user(Role.ADMIN))
    client.post(f"/admin/messages/{message.id}/renvoyer", data={"csrf_token": "forged"})
    db.session.expire_all()
    assert message.state is MessageState.DEAD


def test_staff_member_chooses_a_daily_digest(backoffice, client, db):
    from portal.messages.models import NotifyMode
    from portal.messages.staff import mode_of

    user = make_user(Role.TEAM)
    log_in_as(client, user)
    page = client.get("/admin/messages/preferences")
    assert page.status_code == 200
    token = token_from(page.get_data(as_text=True))
    assert client.post("/admin/messages/preferences",
                       data={"mode": "daily", "csrf_token": token}).status_code == 302
    assert mode_of(user) is NotifyMode.DAILY
    response = client.post("/admin/messages/preferences",
                           data={"mode": "sometimes", "csrf_token": token})
    assert response.status_code == 422
    assert mode_of(user) is NotifyMode.DAILY
    client.post("/admin/messages/preferences", data={"mode": "never", "csrf_token": "forged"})
    assert mode_of(user) is NotifyMode.DAILY
