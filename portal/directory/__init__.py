"""Qui peut m'aider ? The existing service offer for residents (structures and their services),
in and out of the national data·inclusion schema."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import registry

bp = Blueprint("directory", __name__, cli_group=None)  # `flask import-data-inclusion`

registry.add_nav("directory.index", _l("Qui peut m’aider ?"), 30)

from . import admin, loader, sections, views  # noqa: E402,F401  (register on import)
from .texts import register_template_helpers  # noqa: E402

register_template_helpers(bp)
bp.cli.add_command(loader.import_command)
