"""Public routes of rendez-vous: the agenda with its filters, an event's page with its map
and calendar links, the feeds, registration and its cancellation link."""

from itertools import groupby

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import calendar, geo, honeypot
from ..i18n import current_language, language_args, localized
from ..quartiers import all_quartiers, quartier_or_404
from ..transaction import unit_of_work
from . import bp, feeds, notify, queries, registrations
from .jsonld import event_jsonld
from .models import RegistrationStatus
from .registration_forms import RegistrationForm
from .texts import ACCESS, KINDS, local, template_helpers

bp.context_processor(template_helpers)

PAGE_EVENTS = 100  # the agenda's first events; filters (quartier, period) narrow the rest


def _by_day(events):
    return [(day, list(items)) for day, items in groupby(events, key=lambda e: local(
        e.starts_at).date())]


def _feed_url(filters, *, external: bool = False) -> str:
    """The feed following the agenda's filters, in the reader's language."""
    values = {**filters.values(), **language_args()}
    if filters.quartier is not None:
        return url_for("events.quartier_feed", _external=external, **values)
    return url_for("events.feed", _external=external, **values)


@bp.route("/agenda/")
def index():
    filters = queries.Filters.from_args(request.args)
    feed_url, feed_address = _feed_url(filters), _feed_url(filters, external=True)
    coming = queries.coming(filters, limit=PAGE_EVENTS + 1)
    return render_template(
        "events/index.html", days=_by_day(coming[:PAGE_EVENTS]),
        more=len(coming) > PAGE_EVENTS,
        past=queries.past(filters), filters=filters, quartiers=all_quartiers(), kinds=KINDS,
        access=ACCESS, feed_url=feed_url, webcal_url=calendar.webcal_url(feed_address),
        google_url=calendar.google_subscribe_url(feed_address))


@bp.route("/agenda/<int:event_id>")
def detail(event_id: int):
    event = queries.public_event_or_404(event_id)
    return render_template(
        "events/detail.html", event=event, jsonld=event_jsonld(event),
        closed=registrations.closed_reason(event),
        map_script_url=url_for(".map_script", event_id=event.id))


@bp.route("/agenda/<int:event_id>/carte.js")
def map_script(event_id: int):
    event = queries.public_event_or_404(event_id)
    if event.latitude is None:
        abort(404)
    marker = geo.Marker(event.latitude, event.longitude,
                        name=str(localized(event, "place_name")), label="1")
    return geo.script_response(geo.small_map(marker, name="rendez-vous"))


@bp.route("/agenda/<int:event_id>.ics")
def event_ics(event_id: int):
    event = queries.public_event_or_404(event_id)
    return calendar.ics_response(feeds.single_event_calendar(event),
                                 f"rendez-vous-{event.slug}.ics", attachment=True)


@bp.route("/agenda.ics")
def feed():
    filters = queries.Filters.from_args(request.args)
    return calendar.ics_response(
        feeds.agenda_calendar(queries.feed_events(filters), values=filters.values()),
        "agenda.ics")


@bp.route("/agenda/<quartier>.ics")
def quartier_feed(quartier: str):
    q = quartier_or_404(quartier)
    filters = queries.Filters.from_args(request.args)
    filters = queries.Filters(q, filters.kind, filters.access, filters.period)
    return calendar.ics_response(
        feeds.agenda_calendar(queries.feed_events(filters), q, filters.values()),
        f"agenda-{q.slug}.ics")


@bp.route("/agenda/<int:event_id>/inscription", methods=["GET", "POST"])
def register(event_id: int):
    event = queries.public_event_or_404(event_id, with_quartier=request.method == "GET")
    closed = registrations.closed_reason(event)
    form = RegistrationForm(places_left=event.places_left)
    if closed is None and form.validate_on_submit():
        if honeypot.caught():  # a robot: answered like a person, nothing written
            return redirect(url_for(".detail", event_id=event.id))
        confirmation = notify.Confirmation()
        try:
            with unit_of_work():
                outcome = registrations.register(
                    event, name=form.name.data, phone=form.phone.data or "",
                    email=form.email.data or "", people=form.people.data,
                    needs=form.needs.data or (), language=current_language(),
                    wants_news=form.wants_news.data, prepare=confirmation)
                if outcome.status != "already":
                    notify.registered(outcome.registration, confirmation)
                link = registrations.token(outcome.registration)  # before the commit expires it
        except registrations.RegistrationClosed:
            closed = registrations.closed_reason(event)
        else:
            return redirect(url_for(".registration", token=link,
                                    deja=1 if outcome.status == "already" else None,
                                    **language_args()))
    status = 200 if not form.is_submitted() else 422
    if closed is not None:
        status = 200 if request.method == "GET" else 409
    return render_template("events/register.html", event=event, form=form,
                           closed=closed), status


@bp.route("/agenda/inscription/<token>", methods=["GET", "POST"])
def registration(token: str):
    """The confirmation page, reached again by the cancellation link of the messages."""
    from ..backoffice.forms import ConfirmForm

    found = registrations.from_token(token)
    if found is None:
        abort(404)
    expired = registrations.link_expired(found)
    form = ConfirmForm()
    if request.method == "POST":
        if expired:
            return render_template("events/registration.html", registration=found,
                                   event=found.event, expired=True, form=form), 410
        if form.validate_on_submit():
            with unit_of_work():
                promoted = registrations.cancel(found)
                notify.promoted(promoted)
            return redirect(url_for(".registration", token=token, **language_args()))
    return render_template(
        "events/registration.html", registration=found, event=found.event, expired=expired,
        form=form, already=bool(request.args.get("deja")),
        statuses=RegistrationStatus), 410 if expired and request.method == "POST" else 200


def _message_for_closed(reason: str) -> str:
    return {
        "cancelled": _("Ce rendez-vous est annulé : on ne peut plus s’y inscrire."),
        "deadline": _("Les inscriptions sont closes."),
        "started": _("Ce rendez-vous a commencé : on ne peut plus s’y inscrire."),
    }.get(reason, _("Ce rendez-vous est sans inscription : venez directement."))


bp.add_app_template_global(_message_for_closed, "event_closed_message")
