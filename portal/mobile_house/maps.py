"""The small map of the mobile house's next places (drawn by portal/geo.py)."""

from flask import render_template
from flask_babel import gettext as _

from .. import geo
from ..i18n import localized


def places_map(places, today):
    """One numbered marker per place of the 'where to find it' list, numbered as in the list.
    Places without coordinates keep their number in the list and have no marker."""
    markers = []
    for number, occ in enumerate(places, start=1):
        visit = occ.visit
        if visit.latitude is None or visit.longitude is None:
            continue
        name = _("%(number)s. %(place)s (quartier %(quartier)s)", number=number,
                 place=localized(visit, "place_name"),
                 quartier=localized(visit.quartier, "name"))
        markers.append(geo.Marker(
            latitude=visit.latitude, longitude=visit.longitude, name=name, label=str(number),
            css_class="marker-visit",
            popup_html=render_template("mobile_house/_popup.html", occ=occ, today=today),
        ))
    return geo.site_map(markers, name="maison", zoom=14, max_zoom=16)
