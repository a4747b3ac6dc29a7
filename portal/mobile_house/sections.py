"""The next visits on the home page and on quartier pages, and the pages in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import upcoming_visits
from .texts import template_helpers


def _sitemap():
    from ..quartiers import all_quartiers

    yield "mobile_house.index", {}
    for quartier in all_quartiers():
        yield "mobile_house.poster", {"quartier": quartier.slug}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "visits", 10, _l("Prochains passages de la Maison Mobile du Projet"),
        "mobile_house/_next.html", lambda: upcoming_visits(days=14, limit=4),
        _l("Aucun passage de la Maison Mobile n'est annoncé pour le moment."),
        "mobile_house.index", _l("Tout le programme de la Maison Mobile"),
        helpers=template_helpers,
    ))
    reg.add_quartier_section(Section(
        "visits", 20, _l("La Maison Mobile du Projet dans le quartier"),
        "mobile_house/_next.html", lambda quartier: upcoming_visits(quartier, days=28, limit=3),
        _l("Aucun passage de la Maison Mobile n'est prévu dans ce quartier pour le moment."),
        "mobile_house.index", _l("Tout le programme de la Maison Mobile"),
        helpers=template_helpers,
    ))
    reg.add_sitemap(_sitemap)
