"""Concertations: campaigns residents answer online, on paper, by phone, at the Maison Mobile
or in a workshop, counted once, and their results (aggregated in SQL, drawn on the server)."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("consultations", __name__, url_prefix="/concertations")


def init_app(app: Flask) -> None:
    from . import admin, cli, loader, models, sections, views  # noqa: F401  (routes, tables)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("consultations.index", _l("Concertations"), 35)
    sections.register(reg)
    admin.register(reg)
    cli.register(app)
    reg.add_loader(60, loader.load_consultations)
    from .answering import ranking_size
    from .models import QuestionKind

    app.add_template_global(ranking_size, "ranking_size")
    from . import places

    app.add_template_global(places, "places")
    app.add_template_global(QuestionKind, "Kind")
