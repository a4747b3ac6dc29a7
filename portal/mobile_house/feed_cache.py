"""The built iCal feeds, and the dated spans of the pages' windows, kept until their data
changes: at 800 series a feed takes seconds to build and calendar apps poll it every few
hours, so each feed is built once per change; the home page and the week page would read
and expand every series on each request, so their windows are expanded once per change.

The key holds what makes two feeds differ (host, language, quartier, theme, window) and a
data version read in one cheap query (count and last change of the visits and of their
cancellations, the holiday periods): a change made by another process shows at its next
request. This process also forgets every feed on any commit, so a change within the same
second (or under a frozen test clock) is never missed.
"""

from collections import OrderedDict
from collections.abc import Callable

from flask import g, has_app_context, request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..i18n import current_language
from .models import SchoolHoliday, Visit, VisitCancellation

MAX_FEEDS = 64  # quartiers x themes x languages, with room to spare
MAX_WINDOWS = 256  # (quartier, theme, first day, last day): the blocks, weeks and pages asked
_feeds: OrderedDict[tuple, bytes] = OrderedDict()
_windows: OrderedDict[tuple, object] = OrderedDict()


_VERSION = (func.count(Visit.id), func.max(Visit.updated_at), func.count(VisitCancellation.id),
            func.max(VisitCancellation.updated_at))
# The holidays' own version (count, last id, span), for what is kept without reading them.
_HOLIDAYS_VERSION = (func.count(SchoolHoliday.id), func.max(SchoolHoliday.id),
                     func.min(SchoolHoliday.first_day), func.max(SchoolHoliday.last_day))


def _version(columns) -> tuple:
    return tuple(db.session.execute(select(*(select(c).scalar_subquery() for c in columns)))
                 .one())


def data_version(holidays) -> tuple:
    return (*_version(_VERSION), tuple((h.first_day, h.last_day) for h in holidays))


def feed_bytes(parts: tuple, holidays, build: Callable[[], bytes]) -> bytes:
    """The feed for `parts` (quartier, theme, window), built by `build` when not kept."""
    key = (request.host_url, current_language(), *parts, data_version(holidays))
    body = _feeds.get(key)
    if body is None:
        body = _feeds[key] = build()
        while len(_feeds) > MAX_FEEDS:
            _feeds.popitem(last=False)
    return body


def schedule_version() -> tuple:
    """The data version with the holidays' own (count, last id, span) in the same query: a
    window kept needs no holiday read."""
    if "schedule_version" not in g:  # read once per request, however many windows it asks
        g.schedule_version = _version(_VERSION + _HOLIDAYS_VERSION)
    return g.schedule_version


def kept(parts: tuple, build: Callable[[], object]) -> object:
    """What `build` gives for a window `parts` (quartier id, theme, first and last day), kept
    like the feeds: the same for every language and host."""
    key = (*parts, schedule_version())
    value = _windows.get(key)
    if value is None:
        value = _windows[key] = build()
        while len(_windows) > MAX_WINDOWS:
            _windows.popitem(last=False)
    else:
        _windows.move_to_end(key)
    return value


def clear(_session=None) -> None:
    _feeds.clear()
    _windows.clear()
    if has_app_context():
        g.pop("schedule_version", None)


def init_app() -> None:
    if not event.contains(Session, "after_commit", clear):
        event.listen(Session, "after_commit", clear)
