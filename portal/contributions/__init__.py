"""Contributions: residents' "cadre de vie" reports and ideas, sent without an account,
moderated in the one validation queue, answered in public by the team and followed until
closed (passed to a partner, en cours, résolu); contact details kept apart and erased."""

from flask import Blueprint, Flask

from .. import registry

bp = Blueprint("contributions", __name__)


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from . import admin, cli, loader, reasons_admin, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("contributions.index", _l("Contributions"), 22)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(70, loader.load_contributions)
    app.cli.add_command(cli.contributions_cli)
