"""Project news (actualités) and their Atom feed."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("news", __name__, url_prefix="/actualites")


def init_app(app: Flask) -> None:
    from . import admin, loader, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("news.index", _l("Actualités"), 20)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(20, loader.load_news)
