"""The page cache in Redis: one worker's page is served by another; a commit anywhere is seen
by every worker's next request; Redis down means pages rendered afresh, never a 500."""

import pytest

from portal import shared_redis
from portal.extensions import db
from tests.factories import make_news, make_quartier


def test_a_page_rendered_by_one_worker_is_served_by_another(workers, count_queries):
    first, second = workers(), workers()
    make_quartier("alma")
    make_news("premiere", title="Première réunion")
    with first.app_context():
        assert "X-Page-Cache" not in first.test_client().get("/actualites/").headers
    with second.app_context(), count_queries() as statements:
        hit = second.test_client().get("/actualites/")
    assert hit.headers["X-Page-Cache"] == "hit" and statements == []
    assert "Première réunion" in hit.get_data(as_text=True)


def test_a_commit_on_one_worker_is_seen_by_the_others_next_request(workers):
    first, second = workers(), workers()
    make_quartier("alma")
    with second.app_context():
        second.test_client().get("/actualites/")
        assert second.test_client().get("/actualites/").headers["X-Page-Cache"] == "hit"
    with first.app_context():  # the back office of another server saves a news item
        make_news("nouvelle", title="Publiée à l'instant")
    with second.app_context():
        response = second.test_client().get("/actualites/")
    assert "X-Page-Cache" not in response.headers
    assert "Publiée à l&#39;instant" in response.get_data(as_text=True)


def test_a_page_rendered_while_a_commit_happened_is_not_served(workers, redis_client):
    worker = workers()
    make_quartier("alma")
    with worker.app_context(), worker.test_request_context("/actualites/"):
        pages = worker.extensions["page_cache_redis"]
        generation, _ = pages.get(("http://localhost/actualites/", "fr"))
        pages.forget_all()  # a commit elsewhere, while this page was rendered
        from flask import Response
        pages.put(("http://localhost/actualites/", "fr"), generation, Response("old"), 30)
        assert pages.get(("http://localhost/actualites/", "fr"))[1] is None


def test_entries_expire_in_redis(workers, redis_client):
    worker = workers(PAGE_CACHE_SECONDS=7)
    make_quartier("alma")
    with worker.app_context():
        worker.test_client().get("/")
        keys = [k for k in redis_client.scan_iter(worker.config["REDIS_KEY_PREFIX"] + "pages:*")
                if not k.endswith(b"generation")]
        assert keys and all(0 < redis_client.ttl(k) <= 7 for k in keys)


def test_redis_down_pages_are_rendered_afresh(workers):
    worker = workers(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    make_quartier("alma")
    with worker.app_context():
        client = worker.test_client()
        assert client.get("/").status_code == 200
        second = client.get("/")
        assert second.status_code == 200 and "X-Page-Cache" not in second.headers
        article = make_news("pendant-la-panne")  # a commit while Redis is down works too
        assert db.session.get(type(article), article.id) is not None


def test_without_redis_url_the_cache_stays_in_memory(app):
    assert shared_redis.client(app) is None and "page_cache_redis" not in app.extensions


@pytest.mark.parametrize("url", ["/readyz", "/healthz"])
def test_health_answers_are_never_kept(workers, url):
    worker = workers()
    with worker.app_context():
        worker.test_client().get(url)
        assert "X-Page-Cache" not in worker.test_client().get(url).headers
