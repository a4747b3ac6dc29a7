"""The Redis every app server shares (REDIS_URL), for the page cache and /readyz.

One client per app, with short timeouts: Redis is a speed-up, never a reason for a request to
hang or fail. redis-py reconnects by itself on the next command after Redis restarts.
"""

from flask import Flask, current_app

TIMEOUT_SECONDS = 0.5


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    if url and "shared_redis" not in app.extensions:
        import redis

        app.extensions["shared_redis"] = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS,
            health_check_interval=30,
        )
    if app.config.get("RATELIMIT_STORAGE_URI", "").startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_timeout": TIMEOUT_SECONDS, "socket_connect_timeout": TIMEOUT_SECONDS,
        })


def client(app: Flask | None = None):
    """The app's Redis client, or None when REDIS_URL is not set."""
    return (app or current_app).extensions.get("shared_redis")


def key(name: str, app: Flask | None = None) -> str:
    return (app or current_app).config["REDIS_KEY_PREFIX"] + name
