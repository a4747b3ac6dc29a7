"""Maison Mobile du Projet: where the mobile information point is today and next,
as pages, iCalendar feeds and printable posters."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("mobile_house", __name__)


def init_app(app: Flask) -> None:
    from . import admin, feed_cache, loader, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("mobile_house.index", _l("Maison Mobile"), 15)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(40, loader.load_mobile_house)
    feed_cache.init_app()
