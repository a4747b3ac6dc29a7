"""Qui peut m'aider ? The existing service offer for residents (structures and their services),
in and out of the national data·inclusion schema."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("directory", __name__, cli_group=None)  # `flask import-data-inclusion`


def init_app(app: Flask) -> None:
    from . import admin, loader, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("directory.index", _l("Qui peut m’aider ?"), 30)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(50, loader.load_services)
