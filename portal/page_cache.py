"""A short-lived, in-process cache of the public pages as residents see them.

Most visitors are anonymous and read the same few pages: rendering each one again for each of
them costs database queries and template work for an identical result. For PAGE_CACHE_SECONDS
(portal/config.py: 30 s by default, 0 turns it off; off under TESTING unless set) a GET answer
is kept and served again to the next anonymous visitor asking the same URL in the same language.

What is never kept: requests carrying a session cookie (staff, anyone with a form in progress
or a flash message), answers holding a CSRF token or writing the session, setting a cookie,
are not 200, are streamed files, or say private/no-store; back-office and health-check paths.
Stored answers are the view's own, before the after-request hooks: security headers, language
cookie and Vary, gzip are applied afresh to each hit.

Each app keeps its own cache (app.extensions["page_cache"]), so each process does: a change
made in the back office reaches every visitor within PAGE_CACHE_SECONDS (this process forgets
everything at once on any database commit).
"""

import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from .i18n import current_language

MAX_ENTRIES = 500  # odd query strings must not grow the cache without bound
SKIPPED_PREFIXES = ("/admin", "/healthz", "/static/")


@dataclass(frozen=True)
class _Entry:
    expires: float
    body: bytes
    status: int
    headers: list[tuple[str, str]]


class _Cache(OrderedDict[tuple[str, str], _Entry]):
    """One app's pages, oldest first."""


# Every app's cache, to forget them all on a commit (a session does not know its app); an
# app's cache goes with the app.
_caches: "weakref.WeakValueDictionary[int, _Cache]" = weakref.WeakValueDictionary()


def entries(app: Flask | None = None) -> _Cache:
    return (app or current_app).extensions["page_cache"]


def clear(app: Flask | None = None) -> None:
    entries(app).clear()


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
    cache = entries()
    entry = cache.get(key)
    if entry is None:
        g.page_cache_key = key
        return None
    if entry.expires < time.monotonic():
        del cache[key]
        g.page_cache_key = key
        return None
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
    cache = entries()
    cache[key] = _Entry(time.monotonic() + _seconds(), response.get_data(), response.status_code,
                        list(response.headers.items()))
    while len(cache) > MAX_ENTRIES:
        cache.popitem(last=False)
    return response


def _forget_on_commit(_session) -> None:
    for cache in list(_caches.values()):
        cache.clear()


def init_app(app: Flask) -> None:
    """Call last in create_app: the store hook must see the view's answer before the other
    after-request hooks change it (Flask runs them in reverse order of registration)."""
    cache = app.extensions["page_cache"] = _Cache()
    _caches[id(cache)] = cache
    app.before_request(_serve_from_cache)
    app.after_request(_store)
    if not event.contains(Session, "after_commit", _forget_on_commit):
        event.listen(Session, "after_commit", _forget_on_commit)
