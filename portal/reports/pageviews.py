"""Page views, counted on the server without identifying anyone.

After a public page is served (GET, 200, HTML, not the back office, not a robot), its page
(the route rule, or the path for the page of one item: never the query string) gets +1 in
a counter held in the process. The counter is written to `page_view` (one row per page and
Paris day) by an atomic upsert, at most every PAGE_VIEWS_FLUSH_SECONDS, after the response is sent
(`call_on_close`), on its own connection: a request never waits for it, and a failed write
loses a few counts, never a page. Nothing about the visitor (address, cookie, agent,
time of day) is kept."""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import Flask, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..extensions import conflict_insert, db
from .models import PageView

# Words in the User-Agent of crawlers, link previews and monitors: they are not readers.
BOT_WORDS = ("bot", "crawl", "spider", "slurp", "preview", "monitor", "curl", "wget",
             "python-requests", "headless", "lighthouse", "facebookexternalhit")
SKIPPED_PREFIXES = ("/admin", "/static", "/healthz", "/readyz", "/metrics", "/sitemap",
                    "/robots")


class Counts:
    """The counts of this process not yet written: {(day, page): views}."""

    def __init__(self):
        self.pending: Counter = Counter()
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, day, page: str) -> None:
        with self.lock:
            self.pending[(day, page)] += 1

    def take(self) -> Counter:
        with self.lock:
            taken, self.pending = self.pending, Counter()
            self.last_flush = time.monotonic()
        return taken


def counts(app: Flask | None = None) -> Counts:
    return (app or current_app).extensions["page_views"]


def is_robot(agent: str | None) -> bool:
    agent = (agent or "").lower()
    return not agent or any(word in agent for word in BOT_WORDS)


def page_of_request() -> str | None:
    """The route rule of the page (`/quartiers/<slug>`, `/maison-du-projet/`): what was read,
    never who read it nor what they typed. Pages of one item keep their own path."""
    rule = request.url_rule
    if rule is None:
        return None
    if rule.arguments and "slug" in (request.view_args or {}):
        return request.path[:200]  # one quartier, one article: the page residents read
    return rule.rule[:200]


def _countable(response) -> bool:
    return (request.method == "GET" and response.status_code == 200
            and response.mimetype == "text/html"
            and not request.path.startswith(SKIPPED_PREFIXES)
            and not is_robot(request.headers.get("User-Agent")))


def record(response):
    if not current_app.config.get("PAGE_VIEWS_ENABLED", True) or not _countable(response):
        return response
    page = page_of_request()
    if page is None:
        return response
    store = counts()
    store.add(clock.today(), page)
    every = current_app.config.get("PAGE_VIEWS_FLUSH_SECONDS", 30)
    if time.monotonic() - store.last_flush >= every:
        app = current_app._get_current_object()
        response.call_on_close(lambda: flush(app))
    return response


def upsert(rows: Counter) -> None:
    """Add `rows` to the table in one statement, atomic on both databases (two app servers
    flushing the same page and day both count)."""
    if not rows:
        return
    values = [{"day": day, "page": page, "views": n} for (day, page), n in rows.items()]
    statement = conflict_insert(PageView).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "page"],
        set_={"views": PageView.views + statement.excluded.views})
    with db.engine.begin() as connection:
        connection.execute(statement)


def flush(app: Flask | None = None) -> None:
    app = app or current_app
    with app.app_context():
        taken = counts(app).take()
        try:
            upsert(taken)
        except SQLAlchemyError:
            app.logger.warning("page views: %d counts not written", sum(taken.values()))


def init_app(app: Flask) -> None:
    app.extensions["page_views"] = Counts()
    app.after_request(record)
