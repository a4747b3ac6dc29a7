"""Project news (actualités) and their Atom feed."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import registry

bp = Blueprint("news", __name__, url_prefix="/actualites")

registry.add_nav("news.index", _l("Actualités"), 20)

from . import admin, loader, sections, views  # noqa: E402,F401  (register on import)
