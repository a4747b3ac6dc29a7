"""Place questions ("where should the new playground go?"): each proposed place may carry a
point, written after its name in the back office or a content file as `Name | 50.6921,
3.1640` (latitude, longitude). The questionnaire then draws the places on a map (a tap on a
place's marker chooses it), above the list of places that is the map without JavaScript;
the results draw each place with its count, beside the table that says the same.

Maps are built by portal/geo.py: names go to the browser as JSON data, never as template
source (issue 11)."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape

from .. import geo
from ..i18n import localized
from .models import Question, QuestionKind

SEPARATOR = "|"


class PointError(ValueError):
    """A place line whose point cannot be read, or lies far from Roubaix."""


def split_point(line: str) -> tuple[str, tuple[float, float] | None]:
    """("Name", (lat, lon)) of "Name | 50.6921, 3.1640" (or "50,6921; 3,1640"); ("Name",
    None) without a point. Raises PointError for a point that is not one near Roubaix."""
    if SEPARATOR not in line:
        return line.strip(), None
    label, _sep, raw = line.rpartition(SEPARATOR)
    parts = raw.split(";") if ";" in raw else raw.split(",")
    try:
        if len(parts) != 2 or len(raw) > 60:
            raise ValueError(raw)
        lat, lon = (float(part.strip().replace(",", ".")) for part in parts)
    except ValueError:
        raise PointError(raw) from None
    (south, west), (north, east) = geo.ROUBAIX_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        raise PointError(raw)
    return label.strip(), (round(lat, 6), round(lon, 6))


def point_text(option) -> str:
    """The option's line suffix as the back office writes it back: " | lat, lon"."""
    if option.latitude is None or option.longitude is None:
        return ""
    return f" {SEPARATOR} {option.latitude}, {option.longitude}"


def located(question: Question) -> list:
    """The visible options of a place question that have a point (numbered as listed)."""
    if question.kind is not QuestionKind.PLACE:
        return []
    return [(n, option) for n, option in enumerate(question.visible_options, start=1)
            if option.latitude is not None and option.longitude is not None]


def has_map(question: Question) -> bool:
    return bool(located(question))


def map_name(question: Question, results: bool = False) -> str:
    return f"{'resultats' if results else 'lieux'}-{question.id}"


def choice_map(question: Question) -> geo.MapDescription:
    """The questionnaire's map: each place a numbered marker whose popup has a button that
    ticks its radio in the list (static/js/place-choice.js)."""
    markers, choose = [], escape(_("Choisir ce lieu"))
    for n, option in located(question):
        name = str(localized(option, "label"))
        field = question.field_name if n == 1 else f"{question.field_name}-{option.id}"
        popup = (f'<p class="map-popup-title">{escape(f"{n}. {name}")}</p>'
                 f'<button type="button" class="button" data-choose="{escape(field)}">'
                 f'{choose}</button>')
        markers.append(geo.Marker(option.latitude, option.longitude, name=f"{n}. {name}",
                                  label=str(n), popup_html=popup))
    return geo.site_map(markers, name=map_name(question), zoom=16, max_zoom=18)


def results_map(question: Question, bars) -> geo.MapDescription:
    """The results' map: each located place with its count, numbered as the table's rows."""
    markers = []
    for n, bar in enumerate(bars, start=1):
        option = bar.label
        if getattr(option, "latitude", None) is None or option.longitude is None:
            continue
        text = _("%(place)s : %(count)d réponse(s)", place=str(localized(option, "label")),
                 count=bar.count)
        markers.append(geo.Marker(option.latitude, option.longitude, name=f"{n}. {text}",
                                  label=str(n), popup_html=f"<p>{escape(f'{n}. {text}')}</p>"))
    return geo.site_map(markers, name=map_name(question, results=True), zoom=16, max_zoom=18)


def script_url(campaign, question: Question, results: bool = False, **args) -> str:
    endpoint = ".results_map" if results else ".places_map"
    return url_for(f"consultations{endpoint}", slug=campaign.slug, question_id=question.id,
                   **args)
