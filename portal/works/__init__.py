"""Works sites (chantiers): the map with its accessible list, one page per site, open GeoJSON."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

# No url_prefix: the open data lives at /chantiers.geojson, beside /chantiers/.
bp = Blueprint("works", __name__)


def init_app(app: Flask) -> None:
    from . import admin, loader, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("works.index", _l("Chantiers"), 17)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(30, loader.load_works)
