"""The latest published contributions on the home page and quartier pages, and the pages
in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import latest, sitemap_ids
from .texts import template_helpers


def _sitemap():
    yield "contributions.index", {}
    yield "contributions.new", {}
    for contribution_id in sitemap_ids():
        yield "contributions.detail", {"contribution_id": contribution_id}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "contributions", 45, _l("Ce que les habitants signalent et proposent"),
        "contributions/_latest.html", lambda: latest(limit=3),
        _l("Aucune contribution publiée pour le moment."),
        "contributions.new", _l("Signaler un problème ou proposer une idée"),
        helpers=template_helpers))
    reg.add_quartier_section(Section(
        "contributions", 30, _l("Signalements et idées du quartier"),
        "contributions/_latest.html", lambda quartier: latest(quartier, limit=3),
        _l("Aucune contribution publiée dans ce quartier pour le moment."),
        "contributions.index", _l("Toutes les contributions du quartier"),
        helpers=template_helpers))
    reg.add_sitemap(_sitemap)
