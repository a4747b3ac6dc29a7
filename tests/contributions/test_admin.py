"""Moderation in the one validation queue (project team everywhere, a team in its own
quartiers), every action and who is told through the outbox, the audit log, publishing after
editing out personal data, the follow-up steps and the timeline, recording for someone."""

from portal.backoffice.models import AuditEntry, Role
from portal.contributions.models import Channel, Contribution, Status
from portal.extensions import db
from portal.messages.models import Message
from portal.publication import PublicationStatus
from tests.backoffice_helpers import log_in_as, make_user, token_from
from tests.contributions.factories import contributions, make_contribution, post_new

CONTACT = {"phone": "+33612345678", "email": ""}


def pending(quartier, **fields) -> Contribution:
    return make_contribution(quartier, publication_status=PublicationStatus.PENDING,
                             contact=CONTACT, **fields)


def post(client, url, **data):
    token = token_from(client.get(url.rsplit("/", 1)[0] if url.count("/") > 3 else url)
                       .get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def actions(contribution) -> list[str]:
    return [e.action for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "contribution",
                                    AuditEntry.object_id == str(contribution.id))
        .order_by(AuditEntry.id))]


def messages() -> list[Message]:
    return list(db.session.scalars(db.select(Message).where(
        Message.kind == "contribution_news").order_by(Message.id)))


def test_new_contribution_waits_in_the_queue_of_its_quartier(now, client, team_client,
                                                             project_client, quartiers):
    post_new(client)
    [row] = contributions()
    queue = team_client.get("/admin/a-valider/").get_data(as_text=True)
    assert f"Contribution n° {row.id}" in queue
    assert f"Contribution n° {row.id}" in project_client.get("/admin/a-valider/").get_data(
        as_text=True)
    other = make_user(Role.TEAM, quartiers=[quartiers["pile"]])
    log_in_as(client, other)
    assert f"Contribution n° {row.id}" not in client.get("/admin/a-valider/").get_data(
        as_text=True)


def test_moderators_are_told_when_it_arrives(now, client, project_client, quartiers):
    from portal.messages.models import StaffPending

    post_new(client)
    told = db.session.scalars(db.select(Message).where(Message.kind != "contribution_news"))
    pending_items = db.session.scalars(db.select(StaffPending)).all()
    assert list(told) or pending_items  # at once, or in the digest


def test_publish_after_editing_out_personal_data_keeps_the_original(now, team_client,
                                                                    quartiers):
    row = pending(quartiers["alma"], text="Appelez Samira au 06 12 34 56 78, la rue est noire.")
    url = f"/admin/contributions/{row.id}"
    response = post(team_client, url + "/publier", **{"publier-text": "La rue est noire."})
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.is_published and row.text == "La rue est noire."
    assert "06 12 34 56 78" in row.original_text
    assert actions(row) == ["edit", "publish"]
    [message] = messages()
    assert message.recipient == "+33612345678" and "publiée" in message.body
    public = team_client.get(f"/contributions/{row.id}").get_data(as_text=True)
    assert "06 12 34 56 78" not in public and "Samira" not in public


def test_reject_with_a_reason_tells_the_author(now, project_client, quartiers):
    row = pending(quartiers["pile"])
    page = project_client.get(f"/admin/contributions/{row.id}").get_data(as_text=True)
    reason = "Ce sujet ne relève pas du projet de renouvellement urbain."
    assert reason in page
    response = post(project_client, f"/admin/contributions/{row.id}/refuser",
                    **{"refus-reason": reason})
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.publication_status is PublicationStatus.REJECTED
    assert row.decision_note == reason and row.status is Status.NOT_RETAINED
    assert reason in messages()[0].body
    assert actions(row) == ["reject"]


def test_a_tampered_reason_is_refused(now, project_client, quartiers, nothing_written):
    row = pending(quartiers["pile"])
    token = token_from(project_client.get(f"/admin/contributions/{row.id}").get_data(
        as_text=True))
    with nothing_written():
        response = project_client.post(f"/admin/contributions/{row.id}/refuser", data={
            "csrf_token": token, "refus-reason": "<b>n’importe quoi</b>"})
    assert response.status_code == 422


def test_answer_and_follow_up_until_resolved(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"], contact=CONTACT)
    url = f"/admin/contributions/{row.id}"
    assert post(project_client, url + "/repondre",
                **{"reponse-answer": "Transmis à la Ville."}).status_code == 302
    assert post(project_client, url + "/suivi", **{"suivi-status": "transmitted",
                                                   "suivi-partner": "ville_eclairage"}
                ).status_code == 302
    assert post(project_client, url + "/suivi", **{"suivi-status": "resolved",
                                                   "suivi-note": "Lampe changée."}
                ).status_code == 302
    db.session.refresh(row)
    assert row.status is Status.RESOLVED and row.closed_at is not None
    assert [u.status for u in row.updates] == [Status.RECEIVED, Status.TRANSMITTED,
                                               Status.RESOLVED]
    page = client.get(f"/contributions/{row.id}").get_data(as_text=True)
    assert "Transmis à la Ville de Roubaix (éclairage)" in page and "Lampe changée." in page
    assert "Transmis à la Ville." in page
    assert len(messages()) == 3
    assert actions(row) == ["answer", "follow_up", "follow_up"]


def test_transmitted_needs_a_partner(now, project_client, quartiers, nothing_written):
    row = make_contribution(quartiers["alma"])
    token = token_from(project_client.get(f"/admin/contributions/{row.id}").get_data(
        as_text=True))
    with nothing_written():
        response = project_client.post(f"/admin/contributions/{row.id}/suivi", data={
            "csrf_token": token, "suivi-status": "transmitted", "suivi-partner": ""})
    assert response.status_code == 422
    assert "Choisissez à qui" in response.get_data(as_text=True)


def test_hide_takes_it_off_the_site(now, client, project_client, quartiers):
    row = make_contribution(quartiers["alma"])
    post(project_client, f"/admin/contributions/{row.id}/masquer",
         **{"masquer-reason": "Propos injurieux"})
    db.session.refresh(row)
    assert row.publication_status is PublicationStatus.HIDDEN
    assert client.get(f"/contributions/{row.id}").status_code == 404


def test_team_of_another_quartier_cannot_moderate(now, team_client, quartiers,
                                                  nothing_written):
    row = pending(quartiers["pile"])
    token = token_from(team_client.get("/admin/contributions/").get_data(as_text=True))
    with nothing_written():
        assert team_client.get(f"/admin/contributions/{row.id}").status_code == 403
        response = team_client.post(f"/admin/contributions/{row.id}/publier", data={
            "csrf_token": token, "publier-text": "Publié quand même"})
    assert response.status_code == 403


def test_team_list_shows_its_quartiers_only(now, team_client, quartiers):
    own, other = pending(quartiers["alma"]), pending(quartiers["pile"])
    page = team_client.get("/admin/contributions/").get_data(as_text=True)
    assert f"Contribution n° {own.id}" in page and f"Contribution n° {other.id}" not in page


def test_staff_record_a_report_for_someone_who_phoned(now, team_client, quartiers):
    token = token_from(team_client.get("/admin/contributions/nouvelle").get_data(as_text=True))
    from tests.contributions.factories import resident_form

    response = team_client.post("/admin/contributions/nouvelle",
                                data={**resident_form(token), "channel": "phone"})
    assert response.status_code == 302
    [row] = contributions()
    assert row.channel is Channel.PHONE and row.created_by_id == team_client.user.id
    assert row.publication_status is PublicationStatus.PENDING
    assert actions(row) == ["record"]


def test_a_team_cannot_record_in_a_tampered_quartier(now, team_client, quartiers,
                                                     nothing_written):
    token = token_from(team_client.get("/admin/contributions/nouvelle").get_data(as_text=True))
    from tests.contributions.factories import resident_form

    with nothing_written():
        response = team_client.post("/admin/contributions/nouvelle", data={
            **resident_form(token, quartier="pile", place="pile-rue-pile"), "channel": "phone"})
    assert response.status_code == 422


def test_stale_reports_are_listed_first(now, project_client, quartiers):
    from datetime import timedelta

    row = make_contribution(quartiers["alma"], last_news_at=now - timedelta(days=30))
    make_contribution(quartiers["alma"])
    page = project_client.get("/admin/contributions/").get_data(as_text=True)
    assert "sans nouvelles depuis 3 semaines" in page
    assert f"Contribution n° {row.id}" in page
