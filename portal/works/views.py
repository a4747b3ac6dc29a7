"""Public routes of the works map: the map with its list, one site, their map scripts and
the open GeoJSON. The filters are plain GET parameters, so a filtered map is a shareable link."""

from flask import render_template, request, url_for

from .. import geo
from ..pagination import requested_page
from ..quartiers import all_quartiers
from . import bp, maps
from .queries import GEOJSON_PER_PAGE, SiteFilters, site_or_404, sites_page
from .texts import template_helpers

bp.context_processor(template_helpers)  # the domain's words, in its pages only


@bp.route("/chantiers/")
def index():
    filters = SiteFilters.from_args(request.args)
    page = sites_page(filters, requested_page())
    # The map shows the page's sites, numbered as in the list beside it.
    on_page = {"page": page.page} if page.page > 1 else {}
    return render_template(
        "works/index.html", page=page, sites=page.items, first_number=page.first,
        filters=filters, quartiers=all_quartiers(),
        # The script follows the page's language through the same cookie or Accept-Language
        # (responses say Vary); a ?lang= here would set the cookie nobody asked for.
        map_script_url=url_for(".map_script", **filters.url_values(), **on_page),
        geojson_url=url_for(".geojson", **filters.url_values()),
    )


@bp.route("/chantiers/carte.js")
def map_script():
    page = sites_page(SiteFilters.from_args(request.args), requested_page(), count=False)
    return geo.script_response(maps.sites_map(page.items, first_number=page.first))


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
    """One page of GeoJSON.  Its `links` (next, prev), like OGC API Features' and the
    Link header, lead to the other pages: the size of one answer never depends on the data."""
    filters = SiteFilters.from_args(request.args)
    page = sites_page(filters, requested_page(), per_page=GEOJSON_PER_PAGE)
    links = maps.page_links(page, ".geojson", filters.url_values())
    response = geo.geojson_response(maps.sites_collection(page.items, links=links,
                                                          matched=page.total))
    if links:
        response.headers["Link"] = ", ".join(f'<{link["href"]}>; rel="{link["rel"]}"'
                                             for link in links)
    return response
