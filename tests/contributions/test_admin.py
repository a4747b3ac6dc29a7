"""Moderation in the one validation queue (project team everywhere, a team in its own
quartiers), every action and who is told through the outbox, the audit log, publishing after
editing out personal data, the follow-up steps and the timeline, recording for someone."""

import pytest

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


def test_reject_with_a_reason_tells_the_author(now, project_client, quartiers, reasons):
    row = pending(quartiers["pile"])
    page = project_client.get(f"/admin/contributions/{row.id}").get_data(as_text=True)
    reason = reasons[1]
    assert reason.text in page
    response = post(project_client, f"/admin/contributions/{row.id}/refuser",
                    **{"refus-reason": str(reason.id)})
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.publication_status is PublicationStatus.REJECTED
    assert row.decision_note == reason.text and row.status is Status.NOT_RETAINED
    assert row.reject_reason_id == reason.id
    assert reason.text in messages()[0].body
    assert actions(row) == ["reject"]


@pytest.mark.parametrize("value", ["<b>n’importe quoi</b>", "999999", "", "retired"])
def test_a_tampered_reason_is_refused(now, project_client, quartiers, reasons, value,
                                      nothing_written):
    from tests.contributions.factories import make_reason

    row = pending(quartiers["pile"])
    if value == "retired":
        value = str(make_reason(retired=True).id)
    token = token_from(project_client.get(f"/admin/contributions/{row.id}").get_data(
        as_text=True))
    with nothing_written():
        response = project_client.post(f"/admin/contributions/{row.id}/refuser", data={
            "csrf_token": token, "refus-reason": value})
    assert response.status_code == 422
    assert 'id="refus-reason-erreur"' in response.get_data(as_text=True)


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
    assert len(messages()) == 2  # résolu: "Est-ce réglé ?" instead (tests/contributions/test_settled.py)
    assert db.session.scalar(db.select(db.func.count()).select_from(Message).where(
        Message.kind == "contribution_settled")) == 1
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


# --- duplicates ---

def test_mark_as_duplicate_links_merges_supports_and_tells_the_author(now, client, team_client,
                                                                      quartiers):
    from portal.contributions.models import ContributionSupport

    original = make_contribution(quartiers["alma"])
    dup = pending(quartiers["alma"])
    db.session.add_all([ContributionSupport(contribution_id=dup.id, key="d" * 32),
                        ContributionSupport(contribution_id=original.id, key="o" * 32)])
    db.session.commit()
    response = post(team_client, f"/admin/contributions/{dup.id}/doublon",
                    **{"doublon-target": str(original.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/contributions/{original.id}")
    db.session.expire_all()
    assert dup.duplicate_of_id == original.id
    assert dup.publication_status is PublicationStatus.REJECTED
    assert dup.status is Status.NOT_RETAINED and dup.closed_at is not None  # contact erased later
    keys = set(db.session.scalars(db.select(ContributionSupport.key).where(
        ContributionSupport.contribution_id == original.id)))
    assert keys == {"o" * 32, "d" * 32, f"duplicate-{dup.id}"}  # its author as one more
    [message] = messages()
    assert message.recipient == CONTACT["phone"] and f"n° {original.id}" in message.body
    assert actions(dup) == ["duplicate"]
    public = client.get(f"/contributions/{dup.id}")
    assert public.status_code == 301
    assert public.headers["Location"].endswith(f"/contributions/{original.id}")
    assert "3 personnes soutiennent" in client.get(
        f"/contributions/{original.id}").get_data(as_text=True)


def test_a_duplicate_of_a_duplicate_leads_to_the_first(now, project_client, quartiers):
    first = make_contribution(quartiers["alma"])
    second, third = pending(quartiers["alma"]), pending(quartiers["alma"])
    post(project_client, f"/admin/contributions/{second.id}/doublon",
         **{"doublon-target": str(first.id)})
    post(project_client, f"/admin/contributions/{third.id}/doublon",
         **{"doublon-target": str(second.id)})
    db.session.expire_all()
    assert third.duplicate_of_id == first.id


@pytest.mark.parametrize("target", ["self", "other_quartier", "unknown", "rejected", "abc",
                                    "0", "<script>"])
def test_a_duplicate_target_that_cannot_be_is_refused(now, team_client, quartiers, target,
                                                      nothing_written):
    row = pending(quartiers["alma"])
    values = {"self": str(row.id), "unknown": "999999", "abc": "abc", "0": "0",
              "<script>": "<script>",
              "other_quartier": str(make_contribution(quartiers["pile"]).id),
              "rejected": str(make_contribution(
                  quartiers["alma"], publication_status=PublicationStatus.REJECTED).id)}
    token = token_from(team_client.get(f"/admin/contributions/{row.id}").get_data(
        as_text=True))
    with nothing_written():
        response = team_client.post(f"/admin/contributions/{row.id}/doublon", data={
            "csrf_token": token, "doublon-target": values[target]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="doublon-target-erreur"' in page and "<script>" not in page.split("<main")[1]


# --- batch decisions ---

def _batch(client, ids, **fields):
    token = token_from(client.get("/admin/contributions/").get_data(as_text=True))
    return client.post("/admin/contributions/lot", data={
        "csrf_token": token, "lot-ids": [str(i) for i in ids], **fields})


def test_batch_publish_decides_each_and_tells_each_author(now, team_client, quartiers):
    rows = [pending(quartiers["alma"]) for _ in range(3)]
    page = team_client.get("/admin/contributions/?statut=pending").get_data(as_text=True)
    assert all(f'value="{r.id}" id="lot-{r.id}"' in page for r in rows)
    response = _batch(team_client, [r.id for r in rows[:2]], **{"lot-action": "publish"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.is_published for r in rows] == [True, True, False]
    assert [actions(r) for r in rows] == [["publish"], ["publish"], []]
    assert len(messages()) == 2


def test_batch_reject_needs_a_reason_from_the_templates(now, project_client, quartiers,
                                                        reasons, nothing_written):
    rows = [pending(quartiers["pile"]) for _ in range(2)]
    with nothing_written():
        response = _batch(project_client, [r.id for r in rows], **{"lot-action": "reject"})
        assert response.status_code == 422
        assert 'id="lot-reason-erreur"' in response.get_data(as_text=True)
        assert _batch(project_client, [r.id for r in rows], **{
            "lot-action": "reject", "lot-reason": "<b>inventée</b>"}).status_code == 422
    reason = reasons[3].text
    assert _batch(project_client, [r.id for r in rows], **{
        "lot-action": "reject", "lot-reason": str(reasons[3].id)}).status_code == 302
    db.session.expire_all()
    assert {r.publication_status for r in rows} == {PublicationStatus.REJECTED}
    assert {r.decision_note for r in rows} == {reason}
    assert all(reason in m.body for m in messages()) and len(messages()) == 2
    assert [actions(r) for r in rows] == [["reject"], ["reject"]]


@pytest.mark.parametrize("ids", [["own", "other"], ["other"], ["own", "999999"],
                                 ["own", "abc"], []])
def test_batch_refuses_ids_outside_the_team_quartiers(now, team_client, quartiers, ids,
                                                      nothing_written):
    own, other = pending(quartiers["alma"]), pending(quartiers["pile"])
    named = {"own": own.id, "other": other.id}
    with nothing_written():
        response = _batch(team_client, [named.get(i, i) for i in ids],
                          **{"lot-action": "publish"})
    # Not a number, or none ticked: the form says so; an id not theirs: refused whole.
    assert response.status_code == (422 if "abc" in ids or not ids else 403)


def test_batch_leaves_what_was_decided_meanwhile(now, project_client, quartiers, reasons):
    waiting, done = pending(quartiers["alma"]), make_contribution(quartiers["alma"])
    response = _batch(project_client, [waiting.id, done.id], **{"lot-action": "reject",
                      "lot-reason": str(reasons[1].id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.publication_status is PublicationStatus.REJECTED and done.is_published
    assert actions(done) == []


def test_moderators_in_the_digest_hear_of_contributions_of_their_quartiers(now, app, client,
                                                                           quartiers):
    """A resident's contribution in Alma: the daily digest of Alma's team and of the project
    team lists it with its link; Pile's team hears nothing of it."""
    from portal.messages.models import NotifyMode
    from portal.messages.staff import set_mode
    from portal.transaction import unit_of_work

    alma = make_user(Role.TEAM, quartiers=[quartiers["alma"]], email="alma@ville.example")
    pile = make_user(Role.TEAM, quartiers=[quartiers["pile"]], email="pile@ville.example")
    project = make_user(Role.PROJECT, email="projet@ville.example")
    with unit_of_work():
        for user in (alma, pile, project):
            set_mode(user, NotifyMode.DAILY)
    post_new(client)
    [row] = contributions()
    assert db.session.scalars(db.select(Message).where(
        Message.kind == "staff_awaiting")).all() == []  # nothing at once
    result = app.test_cli_runner().invoke(args=["messages", "digest", "--staff"])
    assert result.exit_code == 0, result.output
    digests = {m.recipient: m.body for m in db.session.scalars(
        db.select(Message).where(Message.kind == "staff_digest"))}
    assert set(digests) == {"alma@ville.example", "projet@ville.example"}
    for body in digests.values():
        assert f"Contribution n° {row.id}" in body
        assert f"/admin/contributions/{row.id}" in body
