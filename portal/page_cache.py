"""A short-lived, in-process cache of the public pages as residents see them.

Most visitors are anonymous and read the same few pages: rendering each one again for each of
them costs database queries and template work for an identical result. For PAGE_CACHE_SECONDS
(30 s by default, 0 turns it off; off under TESTING unless set) a GET answer is kept and served
again to the next anonymous visitor asking the same URL in the same language.

What is never kept: requests carrying a session cookie (staff, anyone with a form in progress
or a flash message), answers holding a CSRF token or writing the session, setting a cookie,
are not 200, are streamed files, or say private/no-store; back-office and health-check paths.
Stored answers are the view's own, before the after-request hooks: security headers, language
cookie and Vary, gzip are applied afresh to each hit.

Where answers are kept: with REDIS_URL, in Redis, shared by every worker and server; without
it (`make run`), in each process's memory. Any database commit forgets every page: in memory,
this process's; in Redis, a generation counter is increased, and an entry stored under an
older generation is never served again, by any server, from the next request on. A page is
stored under the generation read before it was rendered, so a page rendered while a commit
happened is never served. Redis unreachable: pages are rendered afresh, nothing fails.
"""

import hashlib
import json
import logging
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import shared_redis
from .i18n import current_language

log = logging.getLogger(__name__)

MAX_ENTRIES = 500  # odd query strings must not grow the cache without bound
SKIPPED_PREFIXES = ("/admin", "/healthz", "/readyz", "/metrics", "/static/")


@dataclass(frozen=True)
class _Entry:
    expires: float
    body: bytes
    status: int
    headers: list[tuple[str, str]]


class _Cache(OrderedDict[tuple[str, str], _Entry]):
    """One app's pages kept in memory, oldest first."""


# Every app's memory cache, to forget them all on a commit (a session does not know its app);
# an app's cache goes with the app.
_caches: "weakref.WeakValueDictionary[int, _Cache]" = weakref.WeakValueDictionary()


def entries(app: Flask | None = None) -> _Cache:
    return (app or current_app).extensions["page_cache"]


def clear(app: Flask | None = None) -> None:
    entries(app).clear()
    if app is not None:
        with app.app_context():
            _new_generation()
    elif has_app_context():
        _new_generation()


class RedisPages:
    """Entries in Redis: `<prefix>pages:<sha256 of URL and language>` holds the generation it
    was rendered under, the status and headers (a JSON line) and the body."""

    def __init__(self, redis):
        self.redis = redis

    @staticmethod
    def _entry_key(key: tuple[str, str]) -> str:
        digest = hashlib.sha256("\n".join(key).encode()).hexdigest()
        return shared_redis.key("pages:" + digest)

    @staticmethod
    def generation_key() -> str:
        return shared_redis.key("pages:generation")

    def get(self, key: tuple[str, str]) -> tuple[bytes, _Entry | None]:
        generation, raw = self.redis.mget(self.generation_key(), self._entry_key(key))
        generation = generation or b"0"
        if not raw:
            return generation, None
        stored_generation, meta, body = raw.split(b"\n", 2)
        if stored_generation != generation:
            return generation, None
        status, headers = json.loads(meta)
        return generation, _Entry(0.0, body, status, [tuple(pair) for pair in headers])

    def put(self, key: tuple[str, str], generation: bytes, response: Response, seconds: int):
        meta = json.dumps([response.status_code, list(response.headers.items())]).encode()
        self.redis.set(self._entry_key(key), generation + b"\n" + meta + b"\n"
                       + response.get_data(), ex=seconds)

    def forget_all(self) -> None:
        self.redis.incr(self.generation_key())


_last_warning = [0.0]


def _warn(message: str) -> None:
    """Say Redis is away once a minute per process, not once per request."""
    if time.monotonic() - _last_warning[0] > 60:
        _last_warning[0] = time.monotonic()
        log.warning("page cache: %s", message)


def _redis_pages() -> RedisPages | None:
    return current_app.extensions.get("page_cache_redis")


def _new_generation() -> None:
    pages = _redis_pages()
    if pages is None:
        return
    try:
        pages.forget_all()
    except Exception:  # Redis down: its entries expire within PAGE_CACHE_SECONDS anyway
        _warn("Redis unreachable, pages may stay stale until they expire")


def _seconds() -> int:
    return current_app.config["PAGE_CACHE_SECONDS"]


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and _seconds() > 0
        and not request.path.startswith(SKIPPED_PREFIXES)
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def _key() -> tuple[str, str]:
    # The URL with its host and scheme (pages hold absolute links) and the language chosen
    # from ?lang=, the cookie or Accept-Language: what makes two answers differ.
    return request.url, current_language()


def _serve_from_cache():
    if not _cacheable_request():
        return None
    key = _key()
    pages = _redis_pages()
    if pages is not None:
        try:
            generation, entry = pages.get(key)
        except Exception:  # Redis down or restarting: render afresh, store nothing
            _warn("Redis unreachable, rendering afresh")
            return None
        if entry is None:
            g.page_cache_key, g.page_cache_generation = key, generation
            return None
        return _hit(entry)
    cache = entries()
    entry = cache.get(key)
    if entry is None:
        g.page_cache_key = key
        return None
    if entry.expires < time.monotonic():
        del cache[key]
        g.page_cache_key = key
        return None
    return _hit(entry)


def _hit(entry: _Entry) -> Response:
    response = Response(entry.body, status=entry.status, headers=entry.headers)
    response.headers["X-Page-Cache"] = "hit"
    return response.make_conditional(request)


def _store(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
        # The page holds something of this visitor's: a CSRF token, a new session (a flash).
        # (Flask 3.1.3 counts any look at the session as "accessed": not a usable signal.)
        or current_app.config["WTF_CSRF_FIELD_NAME"] in g
        or session.modified
        or "Set-Cookie" in response.headers
        or response.cache_control.private
        or response.cache_control.no_store
    ):
        return response
    pages = _redis_pages()
    if pages is not None:
        try:
            pages.put(key, g.pop("page_cache_generation"), response, _seconds())
        except Exception:
            _warn("Redis unreachable, page not kept")
        return response
    cache = entries()
    cache[key] = _Entry(time.monotonic() + _seconds(), response.get_data(), response.status_code,
                        list(response.headers.items()))
    while len(cache) > MAX_ENTRIES:
        cache.popitem(last=False)
    return response


def _forget_on_commit(_session) -> None:
    for cache in list(_caches.values()):
        cache.clear()
    if has_app_context():
        _new_generation()


def init_app(app: Flask) -> None:
    """Call last in create_app: the store hook must see the view's answer before the other
    after-request hooks change it (Flask runs them in reverse order of registration)."""
    cache = app.extensions["page_cache"] = _Cache()
    _caches[id(cache)] = cache
    if shared_redis.client(app) is not None:
        app.extensions["page_cache_redis"] = RedisPages(shared_redis.client(app))
    app.before_request(_serve_from_cache)
    app.after_request(_store)
    if not event.contains(Session, "after_commit", _forget_on_commit):
        event.listen(Session, "after_commit", _forget_on_commit)
