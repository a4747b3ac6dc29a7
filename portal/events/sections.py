"""The next rendez-vous on the home page and on quartier pages, and the pages in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import next_events, sitemap_ids
from .texts import template_helpers


def _sitemap():
    yield "events.index", {}
    for event_id in sitemap_ids():
        yield "events.detail", {"event_id": event_id}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "events", 40, _l("Prochains rendez-vous"), "events/_next.html",
        lambda: next_events(limit=4),
        _l("Aucun rendez-vous n’est annoncé pour le moment."),
        "events.index", _l("Tout l’agenda des rendez-vous"), helpers=template_helpers,
    ))
    reg.add_quartier_section(Section(
        "events", 25, _l("Prochains rendez-vous dans le quartier"), "events/_next.html",
        lambda quartier: next_events(quartier, limit=3),
        _l("Aucun rendez-vous n’est annoncé dans ce quartier pour le moment."),
        "events.index", _l("Tout l’agenda des rendez-vous"), helpers=template_helpers,
    ))
    reg.add_sitemap(_sitemap)
