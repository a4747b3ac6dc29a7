"""Maps and GeoJSON: the one place that knows folium, Leaflet and RFC 7946.

Maps are described with folium's elements (the map, its tiles, markers with their DivIcon,
outlines, the framing) and drawn by the Leaflet of the `xstatic-leaflet` package, served by
this app (never a CDN). folium's rendering is not used: it compiles every element's script as
a Jinja template, so an editor's text would become template source (a works site titled
`{{ 7*7 }}` ran on the server), and its page skeleton loads jQuery and Bootstrap from CDNs.
Instead each element's Leaflet options become JSON, and the map's script file is one call of
`drawMap(<JSON>)` (static/js/map.js), served from a route (`script_response`), cacheable with
an ETag. The page holds a hidden, empty container (templates/macros/map.html) that the script
reveals: without JavaScript, the text list beside the map is the map. Markers that would
overlap at the zoom shown are drawn apart, each led by a thin line to its true place
(static/js/map-spread.js).

Domains build maps with `site_map(markers)` (many places) or `small_map(marker)` (one place)
and serve them with `script_response(description)` from a `.js` route of their own:

    @bp.route("/lieux/carte.js")
    def places_map():
        markers = [geo.Marker(place.latitude, place.longitude, name=place.name, label="1",
                              popup_html=render_template("x/_popup.html", place=place))]
        return geo.script_response(geo.site_map(markers, name="lieux"))

    {% from "macros/map.html" import map_styles, map_box, map_scripts %}
    {% block head %}{{ map_styles() }}{% endblock %}
    {{ map_box('lieux', _('Carte des lieux')) }}           {# <div id="map_lieux"> #}
    {% block scripts %}{{ map_scripts(url_for('x.places_map')) }}{% endblock %}
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import folium
import xstatic.pkg.leaflet as xstatic_leaflet
from flask import Flask, Response, current_app, request, send_from_directory
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from folium.utilities import camelize
from markupsafe import escape

from . import strict_json

LEAFLET_DIR = xstatic_leaflet.BASE_DIR
LEAFLET_VERSION = xstatic_leaflet.VERSION
SCRIPT_MAX_AGE = 300  # map scripts follow the content: short cache, then a cheap 304
TARGET = 44  # px: a marker's square tap target, around its drawn shape
SHAPE = 28  # px: the drawn shape (.map-marker-label in static/css/portal.css)
# Roughly the Lille metropolis: a position outside is a typo or swapped latitude/longitude.
ROUBAIX_BOUNDS = ((50.55, 2.9), (50.80, 3.35))  # ((south, west), (north, east))


# --- GeoJSON (RFC 7946) -------------------------------------------------------------------


class GeometryError(ValueError):
    """A geometry that is not a valid RFC 7946 Point or Polygon. str() says why in GeoJSON's
    terms, for the authors of content files; `plain` says it to a back-office user, in their
    language, without the jargon."""

    def __init__(self, message: str, plain=None):
        super().__init__(message)
        self.plain = plain if plain is not None else _l(
            "Collez une géométrie GeoJSON de type Point ou Polygon, par exemple telle que "
            "l’outil de dessin la donne.")


def _position(value, where: str, bounds) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple) or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise GeometryError(f"{where} must be [longitude, latitude] numbers, not {value!r}",
                            _l("Chaque point s’écrit avec deux nombres entre crochets : "
                               "[longitude, latitude]."))
    # The altitude too: NaN is not JSON (an int is always finite, and may be too big for float).
    if not all(isinstance(v, int) or math.isfinite(v) for v in value):
        raise GeometryError(f"{where} {value!r} holds a number that is not finite (NaN, "
                            "Infinity)",
                            _l("Chaque point s’écrit avec des nombres ordinaires (pas NaN "
                               "ni Infinity) : [longitude, latitude]."))
    lon, lat = value[0], value[1]
    far = _l("Un point de la zone est loin de Roubaix. En GeoJSON, la longitude vient avant "
             "la latitude : [3.17, 50.69]. Sont-elles inversées ?")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            f"{where} {value!r} is outside longitude -180..180, latitude -90..90", far)
    if bounds:
        (south, west), (north, east) = bounds
        if not (south <= lat <= north and west <= lon <= east):
            raise GeometryError(
                f"{where} {value!r} is far from the expected area "
                "(GeoJSON order is [longitude, latitude]: are they swapped?)", far
            )
    return lon, lat


def validate_geometry(geometry, bounds=None) -> None:
    """Raise GeometryError unless `geometry` is a valid Point or Polygon, optionally within
    `bounds` ((south, west), (north, east))."""
    if not isinstance(geometry, dict):
        raise GeometryError("geometry must be an object with 'type' and 'coordinates'")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        _position(coordinates, "the point", bounds)
        return
    if kind != "Polygon":
        raise GeometryError(f"geometry type must be Point or Polygon, not {kind!r}")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError("a Polygon needs a list of linear rings")
    for number, ring in enumerate(coordinates):
        name = "the outer ring" if number == 0 else f"hole {number}"
        if not isinstance(ring, list) or len(ring) < 4:
            raise GeometryError(
                f"{name} needs at least 4 positions (the first repeated last)",
                _l("Un contour a au moins 4 points, le premier répété à la fin."))
        positions = [_position(p, f"a position of {name}", bounds) for p in ring]
        if positions[0] != positions[-1]:
            raise GeometryError(
                f"{name} is not closed: its last position must equal the first",
                _l("Un contour n’est pas fermé : son dernier point doit être le même que le "
                   "premier."))
        if _ring_area(positions) == 0:
            raise GeometryError(
                f"{name} has no area (its positions are on one line)",
                _l("Un contour n’entoure aucune surface : ses points sont alignés."))


def _ring_area(positions: Sequence[tuple[float, float]]) -> float:
    """Signed area (shoelace, in degrees²): positive when counterclockwise."""
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(positions, positions[1:], strict=False)
    ) / 2


def label_point(geometry: dict) -> tuple[float, float]:
    """(latitude, longitude) where a marker for `geometry` goes: the point itself, or the
    centroid of a polygon's outer ring."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return lat, lon
    ring = [(p[0], p[1]) for p in geometry["coordinates"][0]]
    area = _ring_area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:],
                                                                            strict=False))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:],
                                                                            strict=False))
    return round(cy / (6 * area), 7), round(cx / (6 * area), 7)


def outer_ring_latlon(geometry: dict | None) -> list[list[float]] | None:
    """A polygon's outer ring as [[lat, lon], ...] (Leaflet's order), or None for a point."""
    if not geometry or geometry.get("type") != "Polygon":
        return None
    return [[p[1], p[0]] for p in geometry["coordinates"][0]]


def right_hand(geometry: dict) -> dict:
    """The geometry with RFC 7946's winding: outer ring counterclockwise, holes clockwise
    (content files may draw them either way; readers such as d3 rely on it)."""
    if geometry.get("type") != "Polygon":
        return geometry
    rings = []
    for number, ring in enumerate(geometry["coordinates"]):
        counterclockwise = _ring_area([(p[0], p[1]) for p in ring]) > 0
        rings.append(ring if counterclockwise == (number == 0) else ring[::-1])
    return {**geometry, "coordinates": rings}


def feature(geometry: dict, properties: dict, feature_id=None) -> dict:
    data = {"type": "Feature", "geometry": right_hand(geometry), "properties": properties}
    if feature_id is not None:
        data["id"] = feature_id
    return data


def feature_collection(features: Iterable[dict], **members) -> dict:
    """A FeatureCollection; `members` become foreign members (e.g. metadata), which RFC 7946
    allows and readers ignore."""
    return {"type": "FeatureCollection", **members, "features": list(features)}


def geojson_response(collection: dict) -> Response:
    body = strict_json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    response = _cacheable(body, "application/geo+json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


# --- Maps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One place on a map. `name` is what a screen reader and a mouse hover say; `label` is
    the short text drawn on the marker (a number that matches the list beside the map), and
    `css_class` gives its shape, so markers never differ by colour alone."""

    latitude: float
    longitude: float
    name: str
    label: str = ""
    css_class: str = ""
    popup_html: str = ""  # already escaped HTML (a link to the place's page...)
    outline: list[list[float]] | None = None  # [[lat, lon], ...] of an area around the marker


POPUP_OPTIONS = {"maxWidth": 260, "autoPanPadding": [12, 12]}


_camel = lru_cache(maxsize=256)(camelize)  # a few option names, asked for by every marker


def _leaflet_options(element) -> dict:
    """A folium element's options as Leaflet reads them (lowerCamelCase, no None)."""
    return {_camel(key): value for key, value in element.options.items() if value is not None}


def _marker_layers(marker: Marker) -> list[dict]:
    """The layers drawing `marker`: its outline (if any), then its pin. Texts stay data."""
    layers = []
    if marker.outline:
        area = folium.Polygon(
            marker.outline, color="#1d1d1f", weight=2, dash_array="6 4", fill=True,
            fill_color="#1d1d1f", fill_opacity=0.12, class_name="map-outline",
        )
        layers.append({"kind": "polygon", "latlngs": area.locations,
                       "options": _leaflet_options(area), "popup": marker.popup_html})
    label = f'<span class="map-marker-label" aria-hidden="true">{_escape(marker.label)}</span>'
    icon = folium.DivIcon(
        html=f'{label}<span class="visually-hidden">{_escape(marker.name)}</span>',
        icon_size=(TARGET, TARGET), icon_anchor=(TARGET // 2, TARGET // 2),
        class_name=f"map-marker {marker.css_class}".strip(),
    )
    pin = folium.Marker([marker.latitude, marker.longitude], title=marker.name,
                        keyboard=True, riseOnHover=True)
    layers.append({"kind": "marker", "latlng": pin.location, "options": _leaflet_options(pin),
                   "icon": _leaflet_options(icon), "popup": marker.popup_html})
    return layers


@dataclass
class MapDescription:
    """What static/js/map.js draws: folium elements reduced to their Leaflet options.

    folium's own rendering is not used: branca compiles each element's script as a new Jinja
    template, so a works site titled `{{ 7*7 }}` would run on the server (security review,
    issue 11), and it costs a template compilation per element. Here every text is a JSON
    value that the browser's script reads, never source code of any kind."""

    name: str
    folium_map: folium.Map
    tiles: folium.TileLayer
    layers: list[dict]
    fit: dict | None = None

    @property
    def spreads_markers(self) -> bool:
        return sum(layer["kind"] == "marker" for layer in self.layers) > 1

    def data(self) -> dict:
        return {
            "id": self.folium_map.get_name(),
            "center": self.folium_map.location,
            "options": _leaflet_options(self.folium_map),
            "tiles": {"url": self.tiles.tiles, "options": _leaflet_options(self.tiles)},
            "layers": self.layers,
            "fit": self.fit,
            "popup": POPUP_OPTIONS,
            # Targets 1 px apart each side (2 px between two), drawn shapes SHAPE wide.
            "spread": [TARGET // 2 + 1, SHAPE // 2] if self.spreads_markers else None,
            "texts": {"zoomInTitle": _("Zoomer"), "zoomOutTitle": _("Dézoomer"),
                      "close": _("Fermer")},
        }


def _new_map(name: str, location, zoom: int) -> MapDescription:
    config = current_app.config
    fmap = folium.Map(
        location=location, zoom_start=zoom, tiles=None, zoom_control=False,
        scrollWheelZoom=False,  # the wheel scrolls the page, not the map (no scroll trap)
        zoom_snap=0.25,  # fitBounds may stop between two zoom levels: places fill the map
    )
    fmap._id = name  # the container is <div id="map_{name}">, see macros/map.html
    tiles = folium.TileLayer(
        tiles=config["TILE_URL"], attr=config["TILE_ATTRIBUTION"], name="tiles", max_zoom=19,
    )
    return MapDescription(name=name, folium_map=fmap, tiles=tiles, layers=[])


def site_map(markers: Sequence[Marker], name: str = "sites", center=None, zoom: int = 14,
             max_zoom: int = 17) -> MapDescription:
    """A map of several places, framed to show them all (or `center` when there are none)."""
    center = center or (50.6905, 3.1817)  # Roubaix, between the four quartiers
    description = _new_map(name, center, zoom)
    for marker in markers:
        description.layers += _marker_layers(marker)
    points = [(m.latitude, m.longitude) for m in markers]
    points += [tuple(p) for m in markers for p in (m.outline or [])]
    if len(markers) > 1 or any(m.outline for m in markers):
        south_west = [min(p[0] for p in points), min(p[1] for p in points)]
        north_east = [max(p[0] for p in points), max(p[1] for p in points)]
        # Half a marker and a little more around the places; the attribution takes two lines
        # at the bottom of a phone's map.
        framing = folium.FitBounds([south_west, north_east], padding_top_left=(28, 28),
                                   padding_bottom_right=(28, 64), max_zoom=max_zoom)
        # Drawn at once, not zoomed into from `zoom`.
        description.fit = {"bounds": framing.bounds,
                           "options": {**_leaflet_options(framing), "animate": False}}
    elif markers:
        description.folium_map.location = [markers[0].latitude, markers[0].longitude]
    return description


def small_map(marker: Marker, name: str = "place", zoom: int = 16) -> MapDescription:
    """A small map of one place (a works site, a stop of the mobile house...)."""
    return site_map([marker], name=name, center=(marker.latitude, marker.longitude), zoom=zoom)


def map_script(description: MapDescription) -> str:
    """The JavaScript file that draws the map in its page's container: one call of
    static/js/map.js's drawMap() with the map's description as a JSON literal."""
    data = strict_json.dumps(description.data(), ensure_ascii=False, separators=(",", ":"))
    # As Jinja's tojson: no "</script>" or "<!--" even inside strings, and no line separator
    # that old engines end a string on.
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        data = data.replace(char, code)
    return ("/* Map described by portal/geo.py, drawn by static/js/map.js. */\n"
            f"if (window.drawMap) {{ drawMap({data}); }}\n")


def script_response(description: MapDescription) -> Response:
    return _cacheable(map_script(description), "application/javascript")


def _escape(text: str) -> str:
    return str(escape(text))


def _cacheable(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = SCRIPT_MAX_AGE
    return response.make_conditional(request)


# --- Leaflet files ------------------------------------------------------------------------


def _leaflet_file(filename: str):
    # The URL carries ?v=<Leaflet version>, so the file may be kept a year.
    return send_from_directory(LEAFLET_DIR, filename, max_age=365 * 24 * 3600)


def osm_url(latitude: float, longitude: float, zoom: int = 18) -> str:
    """The place on openstreetmap.org: a map link that works without our JavaScript."""
    lat, lon = _coordinate(latitude), _coordinate(longitude)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"


def _coordinate(value: float) -> str:
    return str(round(value, 6))  # ~10 cm: enough for a map link, short to share


def geo_uri(latitude: float, longitude: float, label: str) -> str:
    """RFC 5870 geo: URI: Android phones open it in their map app. iPhones ignore it:
    static/js/geo-links.js turns it into an Apple Plans link there, and the OpenStreetMap
    link is always shown beside it."""
    lat, lon = _coordinate(latitude), _coordinate(longitude)
    return f"geo:{lat},{lon}?q={lat},{lon}({quote(label, safe='')})"


def init_app(app: Flask) -> None:
    app.add_url_rule("/vendor/leaflet/<path:filename>", "leaflet", _leaflet_file)
    app.jinja_env.globals.update(LEAFLET_VERSION=LEAFLET_VERSION, osm_url=osm_url,
                                 geo_uri=geo_uri)

