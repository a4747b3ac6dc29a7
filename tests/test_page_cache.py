"""The page cache: anonymous public pages are served again without SQL, per URL and language;
anything personal, failing or back-office is never kept; a commit forgets everything."""

import pytest
from flask import Response, g, session
from flask_wtf.csrf import generate_csrf

from portal import page_cache
from tests.factories import make_news, make_quartier


@pytest.fixture
def cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    page_cache.clear(app)
    yield
    page_cache.clear(app)


def test_second_visit_is_served_without_sql_with_fresh_headers(client, cache_on, count_queries):
    make_quartier("alma")
    make_news("premiere", title="Première réunion publique")
    first = client.get("/actualites/")
    assert "X-Page-Cache" not in first.headers
    with count_queries() as statements:
        again = client.get("/actualites/", headers={"Accept-Encoding": "gzip"})
    assert statements == []
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.headers["Content-Encoding"] == "gzip"  # compressed afresh for this visitor
    assert "Content-Security-Policy" in again.headers
    assert again.headers["Vary"].count("Accept-Language") == 1
    assert "Première réunion publique" in client.get("/actualites/").get_data(as_text=True)


def test_each_language_has_its_own_copy_and_lang_still_sets_the_cookie(app, db, cache_on):
    make_quartier("alma")
    french = app.test_client().get("/").get_data(as_text=True)
    assert 'lang="fr"' in french
    arabic = app.test_client().get("/", headers={"Accept-Language": "ar"})
    assert 'lang="ar" dir="rtl"' in arabic.get_data(as_text=True)
    visitor = app.test_client()
    visitor.get("/?lang=ar")
    hit = app.test_client().get("/?lang=ar")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert "lang=ar" in hit.headers["Set-Cookie"]  # the choice is remembered all the same


def test_a_commit_forgets_every_page(client, cache_on):
    make_quartier("alma")
    client.get("/actualites/")
    make_news("nouvelle", title="Nouvelle publiée à l'instant")  # commits, like the back office
    response = client.get("/actualites/")
    assert "X-Page-Cache" not in response.headers
    assert "Nouvelle publiée à l&#39;instant" in response.get_data(as_text=True)


def test_entries_expire(client, cache_on, monkeypatch):
    make_quartier("alma")
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    client.get("/")
    assert client.get("/").headers.get("X-Page-Cache") == "hit"
    clock[0] += 31
    assert "X-Page-Cache" not in client.get("/").headers


@pytest.mark.parametrize("url", ["/actualites/inconnue", "/healthz", "/admin/connexion"])
def test_errors_health_and_back_office_are_never_kept(client, cache_on, url):
    client.get(url)
    assert "X-Page-Cache" not in client.get(url).headers


def test_visitors_with_a_session_always_get_a_fresh_page(app, client, cache_on):
    make_quartier("alma")
    client.get("/")
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "x", domain="localhost")
    assert "X-Page-Cache" not in client.get("/").headers


def test_answers_that_read_the_session_or_set_a_cookie_are_not_kept(app, cache_on):
    touches = (lambda r: generate_csrf(), lambda r: session.update(flash="x"),
               lambda r: r.set_cookie("c", "1"))
    for touch in touches:
        with app.test_request_context("/page"):
            g.page_cache_key = ("http://localhost/page", "fr")
            response = Response("personal")
            touch(response)
            page_cache._store(response)
        assert page_cache.entries(app) == {}


def test_the_cache_is_bounded(app, cache_on, monkeypatch):
    monkeypatch.setattr(page_cache, "MAX_ENTRIES", 3)
    for n in range(5):
        with app.test_request_context(f"/p{n}"):
            g.page_cache_key = (f"http://localhost/p{n}", "fr")
            page_cache._store(Response("page"))
    assert [key[0][-2:] for key in page_cache.entries(app)] == ["p2", "p3", "p4"]


def test_off_under_testing_unless_asked(app):
    assert app.config["PAGE_CACHE_SECONDS"] == 0
