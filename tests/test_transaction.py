"""Writes compose: the write functions flush and never commit, so one unit of work is saved
whole or not at all (audit entries included), and file side effects follow its outcome."""

import io

import pytest
from sqlalchemy.exc import IntegrityError

from portal.backoffice import accounts
from portal.backoffice.models import AuditEntry, Role, User
from portal.news import editing as news
from portal.news.models import NewsArticle
from portal.transaction import after_commit, after_rollback, end_read, unit_of_work
from tests.backoffice_helpers import token_from
from tests.news.test_admin import jpeg_bytes

ARTICLE = {"title": "Réunion publique", "summary": "Mardi", "image_alt": ""}


def test_two_operations_are_saved_together(backoffice, db):
    with unit_of_work():
        news.create_news(None, ARTICLE)
        accounts.create_user(None, email="equipe@ville-roubaix.example", role=Role.PROJECT)
    db.session.rollback()  # what is left is what was committed
    assert db.session.scalar(db.select(db.func.count()).select_from(NewsArticle)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert {e.object_type for e in db.session.scalars(db.select(AuditEntry))} == {"news", "user"}


def test_the_second_failing_rolls_the_first_back_audit_entry_included(backoffice, db,
                                                                      nothing_written):
    accounts.create_user(None, email="equipe@ville-roubaix.example", role=Role.PROJECT)
    db.session.commit()
    with nothing_written(), pytest.raises(IntegrityError), unit_of_work():
        news.create_news(None, ARTICLE)
        assert db.session.scalar(db.select(NewsArticle)) is not None  # flushed, not committed
        # The same e-mail again: the unique index refuses it at the flush.
        accounts.create_user(None, email="equipe@ville-roubaix.example", role=Role.ADMIN)
    assert db.session.scalar(db.select(NewsArticle)) is None
    assert db.session.scalar(db.select(AuditEntry).filter_by(object_type="news")) is None


def test_a_route_whose_audit_entry_fails_writes_nothing_and_keeps_no_file(
        backoffice, admin_client, db, app, monkeypatch, nothing_written):
    from portal.backoffice import audit

    def broken(**_values):
        raise RuntimeError("the log is unavailable")

    token = token_from(admin_client.get("/admin/").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Réunion", "summary": "Mardi", "image_alt": "Place",
            "submit": "Enregistrer", "image": (io.BytesIO(jpeg_bytes()), "a.jpg")}
    monkeypatch.setattr(audit, "AuditEntry", broken)  # after the article is flushed
    files_before = set(app.config["MEDIA_DIR"].rglob("*.*"))
    with nothing_written(), pytest.raises(RuntimeError):
        admin_client.post("/admin/actualites/nouvelle", data=data,
                          content_type="multipart/form-data")
    assert set(app.config["MEDIA_DIR"].rglob("*.*")) == files_before


def test_side_effects_follow_the_outcome(db):
    done = []
    with unit_of_work():
        after_commit(lambda: done.append("committed"))
        after_rollback(lambda: done.append("rolled back"))
    assert done == ["committed"]

    done.clear()
    with pytest.raises(RuntimeError), unit_of_work():
        after_commit(lambda: done.append("committed"))
        after_rollback(lambda: done.append("rolled back"))
        raise RuntimeError("refused")
    assert done == ["rolled back"]

    done.clear()
    with unit_of_work():
        pass  # nothing left over from the block before
    assert done == []


def test_nothing_written_sees_a_flushed_row(backoffice, db, nothing_written):
    with pytest.raises(AssertionError, match="rows written"), nothing_written():
        accounts.create_user(None, email="x@ville-roubaix.example", role=Role.PROJECT)
    db.session.rollback()


def test_end_read_closes_the_read_transaction(db):
    db.session.scalar(db.select(db.func.count()).select_from(NewsArticle))
    assert db.session().in_transaction()
    end_read()
    assert not db.session().in_transaction()


def test_end_read_refuses_to_drop_unsaved_changes(db):
    db.session.add(User(email="oubli@ville-roubaix.example", role=Role.PROJECT, name="Oubli"))
    with pytest.raises(RuntimeError, match="unit_of_work"):
        end_read()
    db.session.rollback()
