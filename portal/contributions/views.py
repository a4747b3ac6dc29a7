"""Public routes of contributions: the list with its map and filters, a contribution's page
with its timeline, official answer, "Moi aussi" and "Signaler un abus", the form without an
account (reports of the same category nearby shown before sending), the follow page, the open
GeoJSON and the Atom feeds (published ones only, no personal data)."""

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from .. import clock, geo, honeypot
from ..extensions import limiter
from ..i18n import current_language, language_args
from ..mixins import as_utc
from ..pagination import requested_page
from ..quartiers import Quartier, all_quartiers, quartier_by_slug
from ..sanitize import xml_document
from ..transaction import unit_of_work
from . import bp, editing, follow, notify, queries, remembered
from .forms import AbuseForm, ContributionForm, SettledForm, SupportForm
from .models import Kind
from .texts import CATEGORIES, SHORT_KINDS, STATUSES, template_helpers

bp.context_processor(template_helpers)


def _submit_limit() -> str:
    return current_app.config["CONTRIBUTION_RATE_LIMIT"]


def _setting(name: str):
    return lambda: current_app.config[name]


def _address_and_item() -> str:
    return f"{get_remote_address()}:{request.view_args.get('contribution_id')}"


def _already(kind: str):
    # The same browser again: answered "already done" by the view, not held back.
    return lambda: remembered.done(kind, request.view_args.get("contribution_id"))


def _recorded(_response) -> bool:
    # Per contribution, only what was counted: a mistyped form sent again is not held back.
    return bool(g.get("contribution_recorded"))


@bp.route("/contributions/")
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.page_of(filters, requested_page())
    return render_template(
        "contributions/index.html", page=page, filters=filters, quartiers=all_quartiers(),
        map_script_url=url_for(".map_script", **filters.values()),
        geojson_url=url_for(".geojson", **filters.values()),
        feed_url=url_for(".quartier_feed", quartier=filters.quartier.slug, **language_args())
        if filters.quartier else url_for(".feed", **language_args()),
        reported=request.args.get("merci") == "signalement")


def _markers(points) -> list[geo.Marker]:
    return [geo.Marker(lat, lon, name=f"{SHORT_KINDS[kind]} n° {cid}", label=str(cid),
                       css_class=f"shape-{kind.value}",
                       popup_html=f'<a href="{url_for(".detail", contribution_id=cid)}">'
                                  f'{SHORT_KINDS[kind]} n° {cid}</a>')
            for cid, kind, _category, _status, lat, lon in points]


@bp.route("/contributions/carte.js")
def map_script():
    points = queries.map_points(queries.Filters.from_args(request.args))
    return geo.script_response(geo.site_map(_markers(points), name="contributions"))


@bp.route("/contributions.geojson")
def geojson():
    points = queries.map_points(queries.Filters.from_args(request.args))
    features = [geo.feature({"type": "Point", "coordinates": [lon, lat]}, {
        "kind": kind.value, "category": category, "status": status.value,
        "url": url_for(".detail", contribution_id=cid, _external=True)}, cid)
        for cid, kind, category, status, lat, lon in points]
    return geo.geojson_response(geo.feature_collection(features))


def _detail_page(contribution, status: int = 200, **forms):
    forms.setdefault("support_form", SupportForm(prefix="soutien", formdata=None))
    forms.setdefault("abuse_form", AbuseForm(prefix="abus", formdata=None))
    return render_template(
        "contributions/detail.html", contribution=contribution,
        supports=queries.support_counts([contribution.id]).get(contribution.id, 0),
        supported=remembered.done(remembered.SUPPORTED, contribution.id),
        reported=remembered.done(remembered.REPORTED, contribution.id),
        thanks=request.args.get("merci"), abuse_open=bool(forms["abuse_form"].errors),
        map_script_url=url_for(".detail_map", contribution_id=contribution.id),
        **forms), status


@bp.route("/contributions/<int:contribution_id>")
def detail(contribution_id: int):
    target = queries.duplicate_target(contribution_id)
    if target is not None:  # marked as a duplicate: followed there
        return redirect(url_for(".detail", contribution_id=target, **language_args()), 301)
    return _detail_page(queries.public_or_404(contribution_id))


def _back(contribution, thanks: str):
    return redirect(url_for(".detail", contribution_id=contribution.id, merci=thanks,
                            **language_args(), _anchor="participer"))


@bp.route("/contributions/<int:contribution_id>/soutenir", methods=["POST"])
@limiter.limit(_setting("CONTRIBUTION_SUPPORT_LIMIT"), scope="contribution-support")
@limiter.limit(_setting("CONTRIBUTION_SUPPORT_PER_ITEM"), key_func=_address_and_item,
               scope="contribution-support-item", deduct_when=_recorded,
               exempt_when=_already(remembered.SUPPORTED))
def support(contribution_id: int):
    """"Moi aussi": once per browser (its cookie), per form (its key), per address a few."""
    contribution = queries.public_or_404(contribution_id)
    form = SupportForm(prefix="soutien")
    if not form.validate_on_submit():
        return _detail_page(contribution, 422, support_form=form)
    if remembered.done(remembered.SUPPORTED, contribution.id):
        return _back(contribution, "deja-soutenu")
    with unit_of_work():
        g.contribution_recorded = editing.support(contribution, form.key.data)
    return remembered.remember(_back(contribution, "soutien"), remembered.SUPPORTED,
                               contribution.id)


@bp.route("/contributions/<int:contribution_id>/signaler", methods=["POST"])
@limiter.limit(_setting("CONTRIBUTION_ABUSE_RATE_LIMIT"), scope="contribution-abuse")
@limiter.limit(_setting("CONTRIBUTION_ABUSE_PER_ITEM"), key_func=_address_and_item,
               scope="contribution-abuse-item", deduct_when=_recorded,
               exempt_when=_already(remembered.REPORTED))
def report_abuse(contribution_id: int):
    """"Signaler un abus" with a reason; the CONTRIBUTION_ABUSE_LIMIT-th since the last
    decision takes it off the site until a moderator decides again."""
    contribution = queries.public_or_404(contribution_id)
    form = AbuseForm(prefix="abus")
    if not form.validate_on_submit():
        return _detail_page(contribution, 422, abuse_form=form)
    if remembered.done(remembered.REPORTED, contribution.id):
        return _back(contribution, "deja-signale")
    with unit_of_work():
        outcome = editing.report_abuse(contribution, form.reason.data, form.key.data,
                                       limit=current_app.config["CONTRIBUTION_ABUSE_LIMIT"])
        if outcome.queued:
            notify.queued_by_abuse(contribution)
    g.contribution_recorded = outcome.new
    response = (redirect(url_for(".index", merci="signalement", **language_args()))
                if outcome.queued else _back(contribution, "signalement"))
    return remembered.remember(response, remembered.REPORTED, contribution.id)


@bp.route("/contributions/<int:contribution_id>/carte.js")
def detail_map(contribution_id: int):
    contribution = queries.public_or_404(contribution_id)
    if contribution.latitude is None:
        abort(404)
    marker = geo.Marker(contribution.latitude, contribution.longitude,
                        name=str(SHORT_KINDS[contribution.kind]), label="1")
    return geo.script_response(geo.small_map(marker, name="contribution"))


@bp.route("/contributions/nouvelle", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"], scope="contribution-submit")
def new():
    quartiers = all_quartiers()
    form = ContributionForm(quartiers=quartiers)
    if not form.is_submitted() and request.args.get("quartier"):
        form.quartier.data = request.args.get("quartier")
    if form.validate_on_submit():
        if honeypot.caught():  # a robot: answered like a person, nothing written
            return redirect(url_for(".index"))
        latitude, longitude = form.coordinates()
        nearby = _nearby(form, latitude, longitude)
        if nearby:
            return _new_page(form, nearby=nearby)
        quartier = next(q for q in quartiers if q.slug == form.quartier.data)  # validated
        with unit_of_work():
            outcome = editing.submit(
                {"quartier_id": quartier.id, "kind": form.kind.data,
                 "category": form.category.data if form.kind.data == "report" else "",
                 "text": form.text.data, "place": form.place.data, "latitude": latitude,
                 "longitude": longitude, "language": current_language()},
                key=form.key.data, photo=form.photo.prepared, phone=form.phone.data or "",
                email=form.email.data or "")
            if outcome.new:
                notify.submitted(outcome.contribution)
            link = follow.token(outcome.contribution)  # before the commit expires it
        return redirect(url_for(".follow", token=link, merci=1, **language_args()))
    return _new_page(form, status=422 if form.is_submitted() else 200)


def _nearby(form: ContributionForm, latitude, longitude) -> list:
    """"Déjà signalé ? Soutenez-le": the open reports of the same category near the point,
    shown once before a report is sent (not after "Envoyer quand même", nor when this form
    was already recorded)."""
    if (form.kind.data != Kind.REPORT.value or form.confirm.data
            or editing.find_by_key(form.key.data) is not None):
        return []
    return queries.nearby(form.category.data, latitude, longitude)


def _new_page(form: ContributionForm, nearby=(), status: int = 200):
    form.photo.ask_again()
    if nearby:
        form.confirm.data = "1"
    return render_template(
        "contributions/new.html", form=form, categories=CATEGORIES, nearby=nearby,
        supports=queries.support_counts(c.id for c in nearby),
        support_forms={c.id: SupportForm(prefix="soutien", formdata=None) for c in nearby},
        tile_url=current_app.config["TILE_URL"]), status


def _feed(quartier: Quartier | None):
    items = queries.feed(quartier)
    updated = max((c.last_news_at or c.submitted_at for c in items), default=None,
                  key=as_utc)
    response = make_response(xml_document(render_template(
        "contributions/feed.atom.xml", items=items, quartier=quartier,
        updated=updated or clock.utcnow())))
    response.mimetype = "application/atom+xml"
    return response


@bp.route("/contributions/flux.atom")
def feed():
    return _feed(None)


@bp.route("/contributions/<quartier>.atom")
def quartier_feed(quartier: str):
    found = quartier_by_slug(quartier)
    if found is None:
        abort(404)
    return _feed(found)


@bp.route("/contributions/suivi/<token>", endpoint="follow")
def follow_page(token: str):
    contribution = follow.from_token(token)
    if contribution is None:
        abort(404)
    return render_template("contributions/follow.html", contribution=contribution,
                           thanks=bool(request.args.get("merci")), statuses=STATUSES,
                           message=_("Merci : l’équipe va lire votre message."))



@bp.route("/contributions/regle/<token>", methods=["GET", "POST"], endpoint="settled")
def settled_page(token: str):
    """"Est-ce réglé ?": the link in the author's message opens this page; only its button
    (a POST with its CSRF token) answers, once: mail scanners that follow links change
    nothing. A changed token is refused; one already answered, or whose "résolu" was
    followed by another step, changes nothing more."""
    found = follow.from_settled_token(token)
    if found is None:
        return render_template("contributions/settled.html", state="invalid"), 404
    contribution, step_id, asked = found
    step = editing.last_resolution(contribution)
    given = next((u for u in contribution.updates if u.answer_to_id == step_id), None)
    if step is None or step.id != step_id or given is not None:
        return render_template("contributions/settled.html", state="used",
                               contribution=contribution, given=given), 409
    form = SettledForm()
    answer = asked if asked != "?" else request.form.get("reponse", "")
    if request.method == "GET" or not form.validate_on_submit() or answer not in ("oui", "non"):
        return render_template("contributions/settled.html", state="ask", form=form,
                               contribution=contribution, asked=asked, token=token), (
            422 if request.method == "POST" else 200)
    with unit_of_work():
        recorded = editing.answer_settled(contribution, step, answer == "oui")
        if recorded and answer == "non":
            notify.reopened_by_author(contribution, step)
    return render_template("contributions/settled.html", state="done" if recorded else "used",
                           contribution=contribution, answer=answer), 200 if recorded else 409
