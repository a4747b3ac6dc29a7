"""Rate limits: in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) says so; a Redis that stops
answering never turns a login into a 500, and guesses are still counted, in memory."""

from portal.backoffice import throttle
from portal.backoffice.models import Role
from portal.config import settings_from_environment
from tests.backoffice.test_auth import login
from tests.backoffice_helpers import PASSWORD, make_user


def _config_with(env: dict) -> str:
    return settings_from_environment(env)["RATELIMIT_STORAGE_URI"]


def test_limits_follow_redis_url_unless_told_otherwise():
    assert _config_with({}) == "memory://"
    assert _config_with({"REDIS_URL": "redis://r:6379/2"}) == "redis://r:6379/2"
    assert _config_with({"REDIS_URL": "redis://r:6379/2",
                         "RATELIMIT_STORAGE_URI": "redis://other:6379"}) == "redis://other:6379"


class _DeadStorage:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis restarting")
        return fail


def test_login_limits_go_on_in_memory_while_the_storage_is_down(backoffice, app, monkeypatch):
    make_user(Role.ADMIN, password=PASSWORD, email="cible@ville-roubaix.example")
    monkeypatch.setattr(type(throttle.limiter), "limiter", property(lambda self: _DeadStorage()))
    throttle._fallback.storage.reset()
    client = app.test_client()
    statuses = [login(client, "cible@ville-roubaix.example", f"essai {n}").status_code
                for n in range(6)]
    assert statuses == [422] * 5 + [429]
    throttle._fallback.storage.reset()
