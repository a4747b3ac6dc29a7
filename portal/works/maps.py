"""Works sites as map markers and as GeoJSON features (drawn and encoded by portal/geo.py)."""

from flask import render_template, url_for
from flask_babel import gettext as _

from .. import geo
from ..i18n import localized
from .models import WorksSite
from .texts import KIND_LABELS, KIND_SHAPES, STATUS_LABELS

PUBLIC_FIELDS = (
    "title", "summary", "address", "owner", "homes_concerned", "nuisances",
    "contact_name", "contact_email", "contact_phone", "insertion_jobs", "insertion_hours",
    "insertion_contact",
)
DATE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end", "nuisances_until")


def site_marker(site: WorksSite, number: int | None = None) -> geo.Marker:
    title = localized(site, "title")
    kind, status = KIND_LABELS[site.kind], STATUS_LABELS[site.status]
    name = _("%(title)s (%(kind)s, %(status)s)", title=title, kind=kind, status=status)
    return geo.Marker(
        latitude=site.latitude, longitude=site.longitude,
        name=f"{number}. {name}" if number else name,
        label=str(number) if number else "",
        css_class=f"marker-{KIND_SHAPES[site.kind]} marker-{site.status.value}",
        popup_html=render_template("works/_popup.html", site=site) if number else "",
        outline=geo.outer_ring_latlon(site.geometry),
    )


def sites_map(sites: list[WorksSite], first_number: int = 1):
    """The /chantiers/ map: one numbered marker per site of the page, numbered as in the
    list."""
    return geo.site_map([site_marker(site, n)
                         for n, site in enumerate(sites, start=first_number)],
                        name="chantiers")


def site_small_map(site: WorksSite):
    return geo.small_map(site_marker(site), name="chantier")


def sites_collection(sites: list[WorksSite], links: list[dict] | None = None,
                     matched: int | None = None) -> dict:
    """The open-data FeatureCollection of `sites`: public properties, French text with its
    translations, absolute links to each site's page; `links` to the other pages and the
    number of sites `matched` in all, when the collection is one page of many."""
    metadata = {
        "demo": any(site.demo for site in sites),
        "source": _("Ville de Roubaix, projet de renouvellement urbain (NPNRU)"),
        "license": "Licence Ouverte 2.0 (Etalab)",
    }
    collection = geo.feature_collection(
        (geo.feature(site.geometry, _properties(site), feature_id=site.slug) for site in sites),
        metadata=metadata,
    )
    if matched is not None:
        collection["numberMatched"] = matched
        collection["numberReturned"] = len(sites)
    if links:
        collection["links"] = links
    return collection


def page_links(page, endpoint: str, values: dict) -> list[dict]:
    """OGC API Features' links to the previous and next pages, as absolute URLs."""
    links = []
    if page.has_prev:
        links.append({"rel": "prev", "type": "application/geo+json",
                      "href": url_for(endpoint, page=page.prev_num, _external=True, **values)})
    if page.has_next:
        links.append({"rel": "next", "type": "application/geo+json",
                      "href": url_for(endpoint, page=page.next_num, _external=True, **values)})
    return links


def _properties(site: WorksSite) -> dict:
    props = {"slug": site.slug, "quartier": site.quartier.slug, "kind": site.kind.value,
             "status": site.status.value}
    props.update({field: getattr(site, field) for field in PUBLIC_FIELDS})
    props.update({field: getattr(site, field) and getattr(site, field).isoformat()
                  for field in DATE_FIELDS})
    props["url"] = url_for("works.detail", slug=site.slug, _external=True)
    props["translations"] = site.translations or {}
    props["demo"] = site.demo
    return {key: value for key, value in props.items() if value not in (None, "")}
