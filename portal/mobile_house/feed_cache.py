"""The built iCal feeds, kept until their data changes: at 800 series a feed takes seconds to
build and calendar apps poll it every few hours, so each feed is built once per change.

The key holds what makes two feeds differ (host, language, quartier, theme, window) and a
data version read in one cheap query (count and last change of the visits and of their
cancellations, the holiday periods): a change made by another process shows at its next
request. This process also forgets every feed on any commit, so a change within the same
second (or under a frozen test clock) is never missed.
"""

from collections import OrderedDict
from collections.abc import Callable

from flask import request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..i18n import current_language
from .models import Visit, VisitCancellation

MAX_FEEDS = 64  # quartiers x themes x languages, with room to spare
_feeds: OrderedDict[tuple, bytes] = OrderedDict()


def data_version(holidays) -> tuple:
    counts = db.session.execute(select(
        select(func.count(Visit.id)).scalar_subquery(),
        select(func.max(Visit.updated_at)).scalar_subquery(),
        select(func.count(VisitCancellation.id)).scalar_subquery(),
        select(func.max(VisitCancellation.updated_at)).scalar_subquery(),
    )).one()
    return (*counts, tuple((h.first_day, h.last_day) for h in holidays))


def feed_bytes(parts: tuple, holidays, build: Callable[[], bytes]) -> bytes:
    """The feed for `parts` (quartier, theme, window), built by `build` when not kept."""
    key = (request.host_url, current_language(), *parts, data_version(holidays))
    body = _feeds.get(key)
    if body is None:
        body = _feeds[key] = build()
        while len(_feeds) > MAX_FEEDS:
            _feeds.popitem(last=False)
    return body


def clear(_session=None) -> None:
    _feeds.clear()


def init_app() -> None:
    if not event.contains(Session, "after_commit", clear):
        event.listen(Session, "after_commit", clear)
