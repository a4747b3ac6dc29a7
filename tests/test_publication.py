"""The shared publication model: each decision records who and when, keeps its comment or
reason, writes its audit entry, and only what is published reaches residents."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from portal import publication
from portal.backoffice.models import AuditEntry, Role
from portal.directory.models import Service, Structure, public_service_select
from portal.mixins import as_utc
from portal.mobile_house.models import Visit
from portal.news.editing import TRAIL as NEWS_TRAIL
from portal.news.models import NewsArticle
from portal.publication import PublicationStatus, TransitionError
from portal.works.editing import TRAIL as WORKS_TRAIL
from portal.works.models import WorksSite
from tests.backoffice_helpers import make_user, token_from
from tests.directory.admin_factories import make_service, make_structure
from tests.factories import make_news
from tests.mobile_house.factories import make_visit
from tests.works.admin_factories import make_site

DRAFT, PENDING, PUBLISHED = (PublicationStatus.DRAFT, PublicationStatus.PENDING,
                             PublicationStatus.PUBLISHED)


def _entries(db):
    return db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()


def test_states_are_stored_as_plain_words_and_named_in_french(app):
    assert [s.value for s in PublicationStatus] == [
        "draft", "pending", "published", "returned", "rejected", "hidden"]
    with app.test_request_context("/"), force_locale("fr"):
        assert [str(s.label) for s in PublicationStatus] == [
            "Brouillon", "En attente de validation", "Publié", "À revoir", "Refusé", "Masqué"]


def test_publish_records_who_and_when_and_writes_the_audit(backoffice, quartiers, db):
    user = make_user(Role.PROJECT)
    article = make_news(publication_status=DRAFT, published_at=None)
    before = datetime.now(UTC)
    publication.publish(article, user, trail=NEWS_TRAIL)
    db.session.commit()
    db.session.refresh(article)
    assert article.publication_status is PUBLISHED and article.decided_by_id == user.id
    decided_at = as_utc(article.decided_at)
    assert before <= decided_at <= datetime.now(UTC)
    assert as_utc(article.published_at) == decided_at  # news: dated when published
    [entry] = _entries(db)
    assert (entry.action, entry.actor_id, entry.object_type) == ("publish", user.id, "news")
    assert entry.changes["publication_status"] == ["draft", "published"]


def test_a_republished_article_keeps_its_first_date(backoffice, quartiers, db):
    user = make_user(Role.ADMIN)
    first = datetime(2026, 10, 1, 9, tzinfo=UTC)
    article = make_news(published_at=first)
    publication.unpublish(article, user, trail=NEWS_TRAIL)
    publication.publish(article, user, trail=NEWS_TRAIL)
    db.session.commit()
    assert as_utc(article.published_at) == first
    assert [e.action for e in _entries(db)] == ["unpublish", "publish"]


def test_validation_round_trip_keeps_the_comment_and_the_reason(backoffice, quartiers, db):
    team, project = make_user(Role.TEAM, [quartiers["alma"]]), make_user(Role.PROJECT)
    site = make_site(quartiers["alma"], publication_status=DRAFT)
    publication.submit_for_validation(site, team, trail=WORKS_TRAIL)
    assert site.publication_status is PENDING and site.decided_by_id == team.id
    publication.return_with_comment(site, project, "Ajoutez la date de fin.", trail=WORKS_TRAIL)
    assert site.publication_status is PublicationStatus.RETURNED
    assert (site.decision_note, site.decided_by_id) == ("Ajoutez la date de fin.", project.id)
    publication.submit_for_validation(site, team, trail=WORKS_TRAIL)
    publication.reject_with_reason(site, project, "Chantier en double.", trail=WORKS_TRAIL)
    db.session.commit()
    assert site.publication_status is PublicationStatus.REJECTED
    assert site.decision_note == "Chantier en double."
    entries = _entries(db)
    assert [e.action for e in entries] == ["submit", "return", "submit", "reject"]
    assert entries[1].changes["decision_note"] == ["", "Ajoutez la date de fin."]
    assert entries[3].changes["publication_status"] == ["pending", "rejected"]
    assert {e.quartier_id for e in entries} == {quartiers["alma"].id}


def test_hide_takes_a_published_item_off_the_site(backoffice, quartiers, db, client):
    site = make_site(quartiers["alma"])
    assert client.get(f"/chantiers/{site.slug}").status_code == 200
    publication.hide(site, make_user(Role.PROJECT), "Signalé comme erroné.", trail=WORKS_TRAIL)
    db.session.commit()
    assert client.get(f"/chantiers/{site.slug}").status_code == 404
    assert site.publication_status is PublicationStatus.HIDDEN


@pytest.mark.parametrize(("status", "decide"), [
    (PUBLISHED, lambda s, u: publication.submit_for_validation(s, u, trail=WORKS_TRAIL)),
    (DRAFT, lambda s, u: publication.return_with_comment(s, u, "Non", trail=WORKS_TRAIL)),
    (PUBLISHED, lambda s, u: publication.reject_with_reason(s, u, "Non", trail=WORKS_TRAIL)),
    (DRAFT, lambda s, u: publication.hide(s, u, trail=WORKS_TRAIL)),
])
def test_a_decision_that_does_not_apply_changes_nothing(backoffice, quartiers, db, status,
                                                        decide):
    site = make_site(quartiers["alma"], publication_status=status)
    with pytest.raises(TransitionError):
        decide(site, make_user(Role.PROJECT))
    assert site.publication_status is status and site.decided_by_id is None
    assert _entries(db) == []


def test_returning_or_rejecting_needs_words(backoffice, quartiers, db):
    site = make_site(quartiers["alma"], publication_status=PENDING)
    user = make_user(Role.PROJECT)
    with pytest.raises(TransitionError):
        publication.return_with_comment(site, user, "  ", trail=WORKS_TRAIL)
    with pytest.raises(TransitionError):
        publication.reject_with_reason(site, user, "", trail=WORKS_TRAIL)
    assert site.publication_status is PENDING and _entries(db) == []


def test_only_published_rows_are_public_in_sql(backoffice, quartiers, db):
    alma = quartiers["alma"]
    for status in PublicationStatus:
        make_news(slug=f"news-{status.value}", publication_status=status)
        make_visit(alma, slug=f"visit-{status.value}", publication_status=status)
        make_site(alma, slug=f"site-{status.value}", publication_status=status)
    for model, prefix in ((NewsArticle, "news"), (Visit, "visit"), (WorksSite, "site")):
        public = db.session.scalars(db.select(model.slug).where(model.is_published)).all()
        assert public == [f"{prefix}-published"]


def test_a_service_is_public_once_it_and_its_structure_are_published(backoffice, quartiers,
                                                                     db):
    structure = make_structure()
    service = make_service(structure)
    assert service.is_public
    user = make_user(Role.PROJECT)
    publication.hide(structure, user, trail=publication_trail(Structure))
    db.session.commit()
    assert service.is_published and not service.is_public
    assert db.session.scalars(public_service_select(Service.id)).all() == []


def publication_trail(model):
    from portal.directory.editing import TRAILS

    return TRAILS[model]


def test_publish_routes_record_the_decider_for_every_kind(backoffice, quartiers, db,
                                                          project_client):
    site = make_site(quartiers["alma"], publication_status=DRAFT)
    structure = make_structure()
    article = make_news(publication_status=DRAFT, published_at=None)
    page = project_client.get(f"/admin/chantiers/{site.id}")
    token = token_from(page.get_data(as_text=True))
    for url in (f"/admin/chantiers/{site.id}/publier",
                f"/admin/offre/structures/{structure.id}/depublier",
                f"/admin/actualites/{article.id}/publier"):
        assert project_client.post(url, data={"csrf_token": token}).status_code == 302, url
    user_id = _entries(db)[0].actor_id
    for row, status in ((site, PUBLISHED), (structure, DRAFT), (article, PUBLISHED)):
        db.session.refresh(row)
        assert (row.publication_status, row.decided_by_id) == (status, user_id)
    assert [(e.object_type, e.action) for e in _entries(db)] == [
        ("works_site", "publish"), ("structure", "unpublish"), ("news", "publish")]


def test_the_journal_names_states_in_the_back_office_words(backoffice, quartiers, db,
                                                           admin_client):
    site = make_site(quartiers["alma"], publication_status=PENDING)
    publication.return_with_comment(site, make_user(Role.PROJECT), "Photo floue.",
                                    trail=WORKS_TRAIL)
    db.session.commit()
    html = admin_client.get("/admin/journal").get_data(as_text=True)
    assert "Renvoi avec un commentaire" in html and "État de publication" in html
    assert "<code>En attente de validation</code>" in html and "<code>À revoir</code>" in html
    assert "Photo floue." in html
