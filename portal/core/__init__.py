"""Home, quartiers, legal pages, language switch, errors and machine-readable files."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    from . import admin, loader, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("core.home", _l("Accueil"), 0)
    reg.add_menu("core_admin.index", _l("Quartiers"), 50, admin.can_edit_quartier)
    reg.add_loader(10, loader.load_quartiers)
    # The public menu, on every page.
    app.jinja_env.globals["nav_entries"] = reg.nav_entries
