"""Maison Mobile du Projet: where the mobile information point is today and next,
as pages, iCalendar feeds and printable posters."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import registry

bp = Blueprint("mobile_house", __name__)

registry.add_nav("mobile_house.index", _l("Maison Mobile"), 15)

from . import admin, loader, sections, views  # noqa: E402,F401  (register on import)
from .texts import register_template_helpers  # noqa: E402

register_template_helpers(bp)
