"""Works sites (chantiers): the map with its accessible list, one page per site, open GeoJSON."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import registry

# No url_prefix: the open data lives at /chantiers.geojson, beside /chantiers/.
bp = Blueprint("works", __name__)

registry.add_nav("works.index", _l("Chantiers"), 17)

from . import admin, loader, sections, views  # noqa: E402,F401  (register on import)
from .texts import KIND_LABELS, KIND_SHAPES, STATUS_LABELS  # noqa: E402

# Templates of other pages (the quartier page's block) show sites too.
bp.add_app_template_global(KIND_LABELS, "works_kinds")
bp.add_app_template_global(STATUS_LABELS, "works_statuses")
bp.add_app_template_global(KIND_SHAPES, "works_shapes")
