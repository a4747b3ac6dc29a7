"""The back office of rendez-vous: a team posts, the project team validates or returns with a
comment, changes and cancellations, bad input, the one validation queue."""

import pytest

from portal.backoffice.models import AuditEntry, Role
from portal.events.models import Event, EventStatus
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.backoffice_helpers import log_in_as, make_user, token_from
from tests.events.factories import make_event


def form(quartier, token, **changes) -> dict:
    data = {"csrf_token": token, "quartier": str(quartier.id), "kind": "atelier",
            "title": "Atelier vélo", "easy_read": "On répare les vélos.",
            "description": "Venez avec **votre vélo**.", "day": "2026-12-10",
            "start_time": "14:00", "end_time": "16:00", "place_name": "Salle Watremez",
            "address": "Rue de l'Alma", "latitude": "50.699", "longitude": "3.167",
            "accessibility": ["fauteuil", "lsf"], "organiser": "Centre social",
            "works_site": "", "news_article": "", "registration": "y", "capacity": "20",
            "registration_deadline": "2026-12-09T18:00"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_new(client, quartier, **changes):
    token = token_from(client.get("/admin/agenda/nouveau").get_data(as_text=True))
    return client.post("/admin/agenda/nouveau", data=form(quartier, token, **changes))


def events() -> list[Event]:
    return list(db.session.scalars(db.select(Event)))


def actions(event) -> list[str]:
    return [e.action for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "event",
                                    AuditEntry.object_id == str(event.id))
        .order_by(AuditEntry.id))]


def test_team_event_waits_for_validation_then_project_publishes(now, app, team_client,
                                                                quartiers):
    response = post_new(team_client, quartiers["alma"])
    assert response.status_code == 302
    [event] = events()
    assert event.publication_status is PublicationStatus.PENDING
    assert event.accessibility == ["fauteuil", "lsf"] and event.capacity == 20
    assert "<strong>votre vélo</strong>" in event.description_html["fr"]
    assert app.test_client().get(f"/agenda/{event.id}").status_code == 404  # not public yet

    project = app.test_client()
    log_in_as(project, make_user(Role.PROJECT))
    queue = project.get("/admin/a-valider/").get_data(as_text=True)
    assert "Atelier vélo" in queue and "Alma" in queue
    dashboard = project.get("/admin/").get_data(as_text=True)
    assert "1 élément attend une décision" in dashboard
    token = token_from(project.get(f"/admin/agenda/{event.id}").get_data(as_text=True))
    assert project.post(f"/admin/agenda/{event.id}/valider",
                        data={"csrf_token": token}).status_code == 302
    db.session.refresh(event)
    assert event.is_published and event.decided_at is not None
    assert actions(event) == ["create", "submit", "publish"]
    assert app.test_client().get(f"/agenda/{event.id}").status_code == 200
    assert "Atelier vélo" not in project.get("/admin/a-valider/").get_data(as_text=True)


def test_project_event_is_published_directly(now, project_client, quartiers):
    assert post_new(project_client, quartiers["pile"]).status_code == 302
    [event] = events()
    assert event.is_published
    assert actions(event) == ["create", "publish"]


def test_return_with_comment_then_team_corrects_and_resubmits(now, app, team_client,
                                                              quartiers):
    post_new(team_client, quartiers["alma"])
    [event] = events()
    project = app.test_client()
    log_in_as(project, make_user(Role.PROJECT))
    url = f"/admin/agenda/{event.id}/renvoyer"
    token = token_from(project.get(url).get_data(as_text=True))
    empty = project.post(url, data={"csrf_token": token, "comment": " "})
    assert empty.status_code == 422
    db.session.refresh(event)
    assert event.publication_status is PublicationStatus.PENDING
    assert project.post(url, data={"csrf_token": token,
                                   "comment": "Précisez l'adresse."}).status_code == 302
    db.session.refresh(event)
    assert event.publication_status is PublicationStatus.RETURNED
    page = team_client.get(f"/admin/agenda/{event.id}").get_data(as_text=True)
    assert "Précisez l&#39;adresse." in page
    token = token_from(page)
    team_client.post(f"/admin/agenda/{event.id}",
                     data=form(quartiers["alma"], token, address="12 rue de l'Alma"))
    db.session.refresh(event)
    assert event.publication_status is PublicationStatus.PENDING
    assert actions(event)[-3:] == ["return", "update", "submit"]


def test_team_cannot_choose_another_quartier_by_tampering(now, team_client, quartiers):
    response = post_new(team_client, quartiers["pile"])
    assert response.status_code == 422
    assert events() == []


@pytest.mark.parametrize("changes, field_message", [
    ({"end_time": "13:00"}, "L’heure de fin doit être après l’heure de début."),
    ({"day": "2026-11-30"}, "Ce moment est déjà passé"),
    ({"capacity": "0"}, "Au moins une place"),
    ({"capacity": "-4"}, "Au moins une place"),
    ({"registration_deadline": "2026-12-10T15:00"}, "La fin des inscriptions doit être avant"),
    ({"latitude": "48.85", "longitude": "2.35"}, "Ce point est loin de Roubaix"),
    ({"latitude": "50.69", "longitude": ""}, "Donnez la latitude et la longitude"),
    ({"title": ""}, 'id="title-erreur"'),
    ({"day": "31/02/2026"}, 'id="day-erreur"'),
    ({"kind": "concert"}, 'id="kind-erreur"'),
])
def test_bad_input_is_refused_by_the_field_and_kept(now, project_client, quartiers, changes,
                                                     field_message):
    response = post_new(project_client, quartiers["alma"], **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message.replace("’", "&#39;") in html or field_message in html
    assert "Atelier vélo" in html or changes.get("title") == ""  # what was typed is kept
    assert events() == []


def test_csrf_is_refused(now, project_client, quartiers):
    response = project_client.post("/admin/agenda/nouveau",
                                   data=form(quartiers["alma"], "faux"))
    assert response.status_code in (400, 422)
    assert events() == []


def test_changing_a_published_event_marks_it_moved_and_raises_sequence(now, project_client,
                                                                       quartiers):
    event = make_event(quartiers["alma"])
    page = project_client.get(f"/admin/agenda/{event.id}").get_data(as_text=True)
    response = project_client.post(f"/admin/agenda/{event.id}", data=form(
        quartiers["alma"], token_from(page), day="2026-12-12", title=event.title))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status is EventStatus.MOVED and event.sequence == 1
    assert actions(event) == ["update"]


def test_cancel_with_reason_keeps_it_on_the_agenda(now, app, team_client, quartiers):
    event = make_event(quartiers["alma"])
    url = f"/admin/agenda/{event.id}/annuler"
    token = token_from(team_client.get(url).get_data(as_text=True))
    assert team_client.post(url, data={"csrf_token": token, "reason": ""}).status_code == 422
    assert team_client.post(url, data={"csrf_token": token, "reason": "Salle indisponible",
                                       "reason_ar": "القاعة غير متاحة"}).status_code == 302
    db.session.refresh(event)
    assert event.is_cancelled and event.change_note == "Salle indisponible"
    assert event.sequence == 1 and actions(event) == ["cancel"]
    page = app.test_client().get("/agenda/").get_data(as_text=True)
    assert "Salle indisponible" in page
    arabic = app.test_client().get(f"/agenda/{event.id}?lang=ar").get_data(as_text=True)
    assert "القاعة غير متاحة" in arabic


def test_queue_lists_oldest_first_and_only_the_teams_quartiers(now, app, quartiers):
    from datetime import UTC, datetime

    older = make_event(quartiers["pile"], title="Ancien", submitted_at=datetime(
        2026, 11, 20, tzinfo=UTC), publication_status=PublicationStatus.PENDING)
    newer = make_event(quartiers["alma"], title="Récent", submitted_at=datetime(
        2026, 11, 29, tzinfo=UTC), publication_status=PublicationStatus.PENDING)
    project = app.test_client()
    log_in_as(project, make_user(Role.PROJECT))
    html = project.get("/admin/a-valider/").get_data(as_text=True)
    assert html.index(older.title) < html.index(newer.title)
    assert "En retard : en attente depuis 11 jours" in html
    team = app.test_client()
    log_in_as(team, make_user(Role.TEAM, quartiers=[quartiers["alma"]]))
    html = team.get("/admin/a-valider/").get_data(as_text=True)
    assert newer.title in html and older.title not in html


def test_report_and_duplicate(now, project_client, quartiers):
    event = make_event(quartiers["alma"])
    url = f"/admin/agenda/{event.id}/compte-rendu"
    token = token_from(project_client.get(url).get_data(as_text=True))
    assert project_client.post(url, data={"csrf_token": token, "attendance": "-1"}
                               ).status_code == 422
    assert project_client.post(url, data={"csrf_token": token, "attendance": "31",
                                          "report": "**Décidé** : un parc."}).status_code == 302
    db.session.refresh(event)
    assert event.attendance == 31 and "<strong>Décidé</strong>" in event.report_html["fr"]
    response = project_client.post(f"/admin/agenda/{event.id}/dupliquer",
                                   data={"csrf_token": token})
    assert response.status_code == 302
    copy = db.session.scalar(db.select(Event).where(Event.id != event.id))
    assert (copy.starts_at - event.starts_at).days == 7 and copy.attendance is None


def test_team_list_shows_own_quartiers_only(now, team_client, quartiers):
    make_event(quartiers["alma"], title="Chez nous")
    make_event(quartiers["pile"], title="Ailleurs")
    html = team_client.get("/admin/agenda/").get_data(as_text=True)
    assert "Chez nous" in html and "Ailleurs" not in html
