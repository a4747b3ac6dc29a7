"""Public routes of the mobile house: the schedule page, calendar feeds, one-visit
downloads and the printable poster with its QR code."""

from datetime import date, timedelta
from itertools import groupby

from flask import abort, render_template, request, url_for

from .. import calendar, clock, geo, qr
from ..i18n import language_args
from ..pagination import ListPage, requested_page
from ..quartiers import all_quartiers, quartier_by_slug, quartier_or_404
from . import bp, feed_cache, feeds, maps, queries
from .schedule import THEMES
from .texts import THEME_LABELS, external_url, schedule_url, template_helpers

bp.context_processor(template_helpers)  # the domain's words, in its pages only

PAGE_DAYS = 28  # the poster's four weeks
# The page shows a week at a time (today and the six days after, then ?du=<first day> for
# the weeks after, with previous/next links), and at most VISITS_PER_PAGE visits of it: its
# size does not depend on how many series run.
WEEK_DAYS = 7
VISITS_PER_PAGE = 120
WEEKS_AHEAD = 78  # about eighteen months: past it, no "next week" link


def _first_day(today: date) -> date:
    """?du= as a day from today to WEEKS_AHEAD weeks ahead; today when missing or wrong."""
    try:
        wanted = date.fromisoformat(request.args.get("du", ""))
    except ValueError:
        return today
    if not today <= wanted <= today + timedelta(weeks=WEEKS_AHEAD):
        return today
    return wanted


def _week(quartier, theme, first: date, today: date):
    """The spans of the week from `first`: not over yet when it starts today."""
    if first == today:
        return queries.upcoming_spans(quartier, days=WEEK_DAYS - 1, theme=theme)
    return queries.window_spans(first, first + timedelta(days=WEEK_DAYS), quartier, theme)


def _filters():
    """Quartier and theme from the query string; unknown values are ignored."""
    quartier = quartier_by_slug(request.args.get("quartier"))
    theme = request.args.get("theme")
    return quartier, (theme if theme in THEMES else None)


def _filter_values(quartier, theme) -> dict:
    values = {"quartier": quartier.slug} if quartier is not None else {}
    if theme:
        values["theme"] = theme
    return values


def _feed_url(quartier, theme, *, external: bool = False) -> str:
    """The feed matching the page's filters, in the reader's language."""
    values = {"theme": theme} if theme else {}
    values.update(language_args())
    if quartier is not None:
        endpoint, values["quartier"] = "mobile_house.quartier_feed", quartier.slug
    else:
        endpoint = "mobile_house.feed"
    return external_url(endpoint, **values) if external else url_for(endpoint, **values)


def _by_day(occurrences):
    return [(day, list(items)) for day, items in groupby(occurrences, key=lambda o: o.day)]


def _next_places(spans, limit: int = 4):
    """Today's and the next distinct places, not cancelled: the 'where is it' list."""
    places, seen = [], set()
    for span in spans:
        if not span.cancelled and span.visit_id not in seen:
            seen.add(span.visit_id)
            places.append(span)
    return places[:limit]


def _week_page(quartier, theme, first: date, today: date):
    """(the page's list of the week, its occurrences, the next places' occurrences): only
    the visits of what the page shows are loaded whole."""
    week = _week(quartier, theme, first, today)
    page = ListPage.of(week, requested_page(), VISITS_PER_PAGE)
    places = _next_places(week)
    return (page, *queries.dated_occurrences(page.items, places))


@bp.route("/maison-du-projet/")
def index():
    quartier, theme = _filters()
    today = clock.today()
    first = _first_day(today)
    page, items, places = _week_page(quartier, theme, first, today)
    feed_address = _feed_url(quartier, theme, external=True)
    values = _filter_values(quartier, theme)
    week_values = dict(values, du=first.isoformat()) if first != today else values
    previous = max(today, first - timedelta(days=WEEK_DAYS))
    last = first + timedelta(days=WEEK_DAYS - 1)
    return render_template(
        "mobile_house/index.html", days=_by_day(items), places=places,
        quartier=quartier, theme=theme, quartiers=all_quartiers(), themes=THEME_LABELS,
        today=today, first_day=first, last_day=last, page=page, week_values=week_values,
        previous_url=(url_for(".index", **values, **({"du": previous.isoformat()}
                                                     if previous != today else {}))
                      if first > today else None),
        next_url=(url_for(".index", **values, du=(last + timedelta(days=1)).isoformat())
                  if last + timedelta(days=1) <= today + timedelta(weeks=WEEKS_AHEAD)
                  else None),
        feed_url=_feed_url(quartier, theme),
        feed_address=feed_address, webcal_url=calendar.webcal_url(feed_address),
        google_url=calendar.google_subscribe_url(feed_address),
        # Same filters, no ?lang=: the script follows the cookie or Accept-Language (Vary).
        map_script_url=url_for(".map_script", **week_values),
    )


@bp.route("/maison-du-projet/carte.js")
def map_script():
    quartier, theme = _filters()
    today = clock.today()
    week = _week(quartier, theme, _first_day(today), today)
    places = queries.dated_occurrences(_next_places(week))
    return geo.script_response(maps.places_map(places, today))


def _feed_response(quartier, filename: str):
    _, theme = _filters()
    window = feeds.feed_window(clock.today())
    holidays = queries.school_holidays()

    def build() -> bytes:
        visits = queries.published_visits(quartier, theme, between=window)
        return calendar.to_ics(feeds.schedule_calendar(visits, holidays, quartier,
                                                       window=window))

    body = feed_cache.feed_bytes((getattr(quartier, "slug", None), theme, window), holidays,
                                 build)
    return calendar.ics_response(body, filename)


@bp.route("/maison-du-projet.ics")
def feed():
    return _feed_response(None, "maison-du-projet.ics")


@bp.route("/maison-du-projet/<quartier>.ics")
def quartier_feed(quartier: str):
    q = quartier_or_404(quartier)
    return _feed_response(q, f"maison-du-projet-{q.slug}.ics")


@bp.route("/maison-du-projet/visite/<slug>/<day>.ics")
def visit_ics(slug: str, day: str):
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if not calendar.date_in_range(wanted):  # no visit there, and 9999-12-31 + 1 day overflows
        abort(404)
    occurrence = queries.occurrence_or_404(queries.visit_or_404(slug), wanted)
    cal = feeds.single_visit_calendar(occurrence)
    return calendar.ics_response(cal, f"maison-mobile-{slug}-{wanted}.ics", attachment=True)


@bp.route("/maison-du-projet/affiche/<quartier>")
def poster(quartier: str):
    q = quartier_or_404(quartier)
    upcoming = queries.upcoming_visits(q, days=PAGE_DAYS)
    today = clock.today()
    return render_template(
        "mobile_house/poster.html", quartier=q, days=_by_day(upcoming), today=today,
        until=today + timedelta(days=PAGE_DAYS), page_url=schedule_url(q),
        qr_url=url_for(".poster_qr", quartier=q.slug, **language_args()),
    )


@bp.route("/maison-du-projet/affiche/<quartier>/qr.svg")
def poster_qr(quartier: str):
    """The QR code of the poster, as an SVG file (an <img>, so no inline markup)."""
    return qr.svg_response(schedule_url(quartier_or_404(quartier)))
