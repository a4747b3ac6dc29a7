"""Public routes of contributions: the list with its map and filters, a contribution's page
with its timeline and official answer, the form without an account, the follow page, and
the open GeoJSON (published ones only, no personal data)."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import geo
from ..extensions import db, limiter
from ..i18n import current_language, language_args
from ..pagination import requested_page
from ..quartiers import Quartier, all_quartiers
from ..transaction import unit_of_work
from . import bp, editing, follow, notify, queries
from .forms import ContributionForm
from .texts import CATEGORIES, SHORT_KINDS, STATUSES, template_helpers

bp.context_processor(template_helpers)


def _submit_limit() -> str:
    return current_app.config["CONTRIBUTION_RATE_LIMIT"]


@bp.route("/contributions/")
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.page_of(filters, requested_page())
    return render_template(
        "contributions/index.html", page=page, filters=filters, quartiers=all_quartiers(),
        map_script_url=url_for(".map_script", **filters.values()),
        geojson_url=url_for(".geojson", **filters.values()))


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


@bp.route("/contributions/<int:contribution_id>")
def detail(contribution_id: int):
    contribution = queries.public_or_404(contribution_id)
    return render_template("contributions/detail.html", contribution=contribution,
                           map_script_url=url_for(".detail_map", contribution_id=contribution.id))


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
        if form.website.data:  # a robot: answered like a person, nothing written
            return redirect(url_for(".index"))
        quartier = db.session.scalar(db.select(Quartier).filter_by(slug=form.quartier.data))
        latitude, longitude = form.coordinates()
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
        return redirect(url_for(".follow", token=follow.token(outcome.contribution),
                                merci=1, **language_args()))
    form.photo.ask_again()
    return render_template(
        "contributions/new.html", form=form, categories=CATEGORIES,
        tile_url=current_app.config["TILE_URL"]), (422 if form.is_submitted() else 200)


@bp.route("/contributions/suivi/<token>", endpoint="follow")
def follow_page(token: str):
    contribution = follow.from_token(token)
    if contribution is None:
        abort(404)
    return render_template("contributions/follow.html", contribution=contribution,
                           thanks=bool(request.args.get("merci")), statuses=STATUSES,
                           message=_("Merci : l’équipe va lire votre message."))

