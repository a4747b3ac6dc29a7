"""The works block of quartier pages and the works pages in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import quartier_sites, sitemap_slugs
from .texts import template_helpers


def _sitemap():
    yield "works.index", {}
    for slug in sitemap_slugs():
        yield "works.detail", {"slug": slug}


def register(reg: Registry) -> None:
    reg.add_quartier_section(Section(
        "works", 30, _l("Les chantiers du quartier"), "works/_section.html", quartier_sites,
        _l("Aucun chantier n’est annoncé dans ce quartier pour le moment."),
        "works.index", _l("Voir tous les chantiers du quartier sur la carte"),
        helpers=template_helpers,
    ))
    reg.add_sitemap(_sitemap)
