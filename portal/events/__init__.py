"""Rendez-vous: public meetings, workshops, walks and permanences posted by neighbourhood
teams and validated by the project team; the agenda, its calendar feeds, registration without
an account, the sign-in sheet and the compte rendu."""

from flask import Blueprint, Flask

from .. import registry

bp = Blueprint("events", __name__)


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from . import admin, cli, loader, registrants, sections, views  # noqa: F401  (routes)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("events.index", _l("Agenda"), 18)
    sections.register(reg)
    admin.register(reg)
    reg.add_loader(60, loader.load_events)
    app.cli.add_command(cli.events_cli)
