"""Fixtures of the production pieces: "workers" that share the local Redis, each its own app
on the test database, as several gunicorn processes are."""

import os
import uuid

import pytest

from portal import create_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (apt-get install redis-server)")
    return client


@pytest.fixture
def redis_client():
    return _redis_or_skip()


@pytest.fixture
def workers(app, committed_db, redis_client):
    """make_worker() -> an app like `app` whose page cache is in the test Redis, under a key
    prefix of this test only (deleted afterwards)."""
    prefix = f"test-{uuid.uuid4().hex[:12]}:"

    def make_worker(**config):
        return create_app({
            "TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MEDIA_DIR": app.config["MEDIA_DIR"], "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": prefix, "PAGE_CACHE_SECONDS": 30, **config,
        })

    yield make_worker
    for key in redis_client.scan_iter(prefix + "*"):
        redis_client.delete(key)
