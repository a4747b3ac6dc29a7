"""Public routes of the works map: the map with its list, one site, their map scripts and
the open GeoJSON. The filters are plain GET parameters, so a filtered map is a shareable link."""

from flask import render_template, request, url_for

from .. import geo
from ..quartiers import all_quartiers
from . import bp, maps
from .queries import SiteFilters, public_sites, site_or_404
from .texts import template_helpers

bp.context_processor(template_helpers)  # the domain's words, in its pages only


@bp.route("/chantiers/")
def index():
    filters = SiteFilters.from_args(request.args)
    return render_template(
        "works/index.html", sites=public_sites(filters), filters=filters,
        quartiers=all_quartiers(),
        # The script follows the page's language through the same cookie or Accept-Language
        # (responses say Vary); a ?lang= here would set the cookie nobody asked for.
        map_script_url=url_for(".map_script", **filters.url_values()),
        geojson_url=url_for(".geojson", **filters.url_values()),
    )


@bp.route("/chantiers/carte.js")
def map_script():
    sites = public_sites(SiteFilters.from_args(request.args))
    return geo.script_response(maps.sites_map(sites))


@bp.route("/chantiers/<slug>")
def detail(slug: str):
    site = site_or_404(slug)
    return render_template(
        "works/detail.html", site=site,
        map_script_url=url_for(".site_map_script", slug=slug),
    )


@bp.route("/chantiers/<slug>/carte.js")
def site_map_script(slug: str):
    return geo.script_response(maps.site_small_map(site_or_404(slug)))


@bp.route("/chantiers.geojson")
def geojson():
    sites = public_sites(SiteFilters.from_args(request.args))
    return geo.geojson_response(maps.sites_collection(sites))
