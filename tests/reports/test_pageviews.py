"""The page-view counter: public HTML pages read by people, per page and Paris day; nothing
that identifies a visitor is kept; robots, the back office and errors are not counted."""

from datetime import date, datetime

import pytest
from sqlalchemy import inspect

from portal.clock import PARIS
from portal.extensions import db
from portal.reports import pageviews
from portal.reports.models import PageView

pytest_plugins = ["tests.backoffice_helpers"]

BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Firefox/133.0"}


@pytest.fixture
def counting(app, committed_db, quartiers, frozen_clock, monkeypatch):
    # The counts are written on a connection of their own, after the answer: real commits.
    monkeypatch.setitem(app.config, "PAGE_VIEWS_ENABLED", True)
    monkeypatch.setitem(app.config, "PAGE_VIEWS_FLUSH_SECONDS", 3600)
    frozen_clock(datetime(2026, 3, 29, 0, 30, tzinfo=PARIS))
    pageviews.counts(app).take()
    yield app
    pageviews.counts(app).take()


def stored() -> dict:
    db.session.expire_all()
    return {(r.day, r.page): r.views for r in db.session.scalars(db.select(PageView))}


def test_public_pages_are_counted_per_page_and_paris_day(counting, client):
    for _ in range(3):
        client.get("/", headers=BROWSER)
    client.get("/quartiers/alma", headers=BROWSER)
    client.get("/quartiers/alma?utm_source=facebook&q=moi@example.org", headers=BROWSER)
    pageviews.flush(counting)
    assert stored() == {(date(2026, 3, 29), "/"): 3,
                        (date(2026, 3, 29), "/quartiers/alma"): 2}
    client.get("/", headers=BROWSER)
    pageviews.flush(counting)
    assert stored()[(date(2026, 3, 29), "/")] == 4  # the upsert adds to the day's row


def test_robots_back_office_errors_and_files_are_not_counted(counting, client):
    client.get("/", headers={"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    client.get("/", headers={"User-Agent": ""})
    client.get("/", headers={"User-Agent": "curl/8.5.0"})
    client.get("/admin/connexion", headers=BROWSER)
    client.get("/nulle-part", headers=BROWSER)
    client.get("/sitemap.xml", headers=BROWSER)
    client.get("/maison-du-projet.ics", headers=BROWSER)
    pageviews.flush(counting)
    assert stored() == {}


def test_the_table_holds_nothing_that_identifies_a_visitor(app, db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("page_view")}
    assert columns == {"id", "day", "page", "views"}


def test_a_page_view_sets_no_cookie(counting, client):
    response = client.get("/", headers=BROWSER)
    assert "Set-Cookie" not in response.headers


def test_a_failed_write_loses_counts_not_the_page(counting, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(rows):
        raise OperationalError("insert", {}, Exception("database is gone"))

    monkeypatch.setitem(counting.config, "PAGE_VIEWS_FLUSH_SECONDS", 0)
    monkeypatch.setattr(pageviews, "upsert", broken)
    response = client.get("/", headers=BROWSER)
    response.close()  # runs the flush, as the server does after sending
    assert response.status_code == 200
    assert pageviews.counts(counting).pending == {}
