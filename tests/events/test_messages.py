"""Who is told, through the outbox: the project team, the team, registrants, in their
language, once."""

from datetime import timedelta

import pytest

from portal.backoffice.models import Role
from portal.events import notify, registrations
from portal.events.models import Event
from portal.extensions import db
from portal.messages.models import Message
from tests.backoffice_helpers import log_in_as, make_user, token_from
from tests.events.factories import make_registration, paris, with_registration
from tests.events.test_admin import form, post_new


def messages(kind=None) -> list[Message]:
    query = db.select(Message).order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db.session.scalars(query))


@pytest.fixture
def project_user(quartiers):
    return make_user(Role.PROJECT)


def test_submit_validate_and_return_tell_the_right_people(now, app, team_client, quartiers,
                                                          project_user):
    post_new(team_client, quartiers["alma"])
    event = db.session.scalar(db.select(Event))
    [awaiting] = messages("staff_awaiting")
    assert awaiting.recipient == project_user.email and event.title in awaiting.body
    project = app.test_client()
    log_in_as(project, project_user)
    url = f"/admin/agenda/{event.id}/renvoyer"
    token = token_from(project.get(url).get_data(as_text=True))
    project.post(url, data={"csrf_token": token, "comment": "Ajoutez l'adresse."})
    [returned] = messages("notice")
    assert returned.recipient == team_client.user.email
    assert "Ajoutez l'adresse." in returned.body
    page = team_client.get(f"/admin/agenda/{event.id}").get_data(as_text=True)
    team_client.post(f"/admin/agenda/{event.id}", data=form(quartiers["alma"],
                                                            token_from(page)))
    project.post(f"/admin/agenda/{event.id}/valider", data={"csrf_token": token})
    told = messages("notice")
    assert len(told) == 2 and "publié" in told[1].subject


def test_registration_confirmed_by_sms_in_the_residents_language(now, client, quartiers):
    event = with_registration(quartiers["alma"], title="Réunion",
                              translations={"ar": {"title": "اجتماع"}},
                              starts_at=paris(2026, 12, 8, 18))
    url = f"/agenda/{event.id}/inscription?lang=ar"
    token = token_from(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "name": "Samira", "phone": "06 12 34 56 78",
                           "people": "1", "consent": "y"})
    [sms] = messages("event_confirmed")
    assert sms.recipient == "+33612345678" and sms.language == "ar"
    assert "اجتماع" in sms.body and "/agenda/inscription/" in sms.body


def test_waiting_list_then_promotion_is_told(now, quartiers):
    event = with_registration(quartiers["alma"], capacity=1)
    first = make_registration(event)
    waiting = registrations.register(event, name="Une", email="une@exemple.fr")
    notify.registered(waiting.registration)
    assert [m.recipient for m in messages("event_waiting")] == ["une@exemple.fr"]
    notify.promoted(registrations.cancel(first))
    db.session.commit()
    assert [m.recipient for m in messages("event_promoted")] == ["une@exemple.fr"]


def test_change_and_cancel_tell_everyone_registered_with_the_new_date(now, project_client,
                                                                      quartiers):
    event = with_registration(quartiers["alma"], title="Réunion",
                              starts_at=paris(2026, 12, 8, 18))
    make_registration(event, email="a@exemple.fr")
    page = project_client.get(f"/admin/agenda/{event.id}").get_data(as_text=True)
    project_client.post(f"/admin/agenda/{event.id}", data=form(
        quartiers["alma"], token_from(page), title="Réunion", day="2026-12-15",
        registration_deadline=""))
    [changed] = messages("event_changed")
    assert changed.recipient == "a@exemple.fr" and "mardi 15 décembre 2026" in changed.body
    url = f"/admin/agenda/{event.id}/annuler"
    token = token_from(project_client.get(url).get_data(as_text=True))
    project_client.post(url, data={"csrf_token": token, "reason": "Salle fermée"})
    [cancelled] = messages("event_cancelled")
    assert "Salle fermée" in cancelled.body


def test_reminder_the_day_before_once(now, app, quartiers, frozen_clock):
    event = with_registration(quartiers["alma"], starts_at=paris(2026, 12, 2, 18))
    make_registration(event, email="a@exemple.fr")
    runner = app.test_cli_runner()
    assert "1 reminder" in runner.invoke(args=["events", "remind"]).output
    runner.invoke(args=["events", "remind"])
    assert len(messages("event_reminder")) == 1
    frozen_clock(now + timedelta(days=2))
    assert "0 reminder" in runner.invoke(args=["events", "remind"]).output


def test_compte_rendu_told_to_those_who_asked(now, project_client, quartiers):
    event = with_registration(quartiers["alma"])
    make_registration(event, email="oui@exemple.fr", wants_news=True)
    make_registration(event, email="non@exemple.fr", wants_news=False)
    url = f"/admin/agenda/{event.id}/compte-rendu"
    token = token_from(project_client.get(url).get_data(as_text=True))
    project_client.post(url, data={"csrf_token": token, "attendance": "12",
                                   "report": "Un parc."})
    assert [m.recipient for m in messages("event_report")] == ["oui@exemple.fr"]
