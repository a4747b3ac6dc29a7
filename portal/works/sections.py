"""The works block of quartier pages and the works pages in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..core import registry
from .queries import public_sites, quartier_sites

registry.add_quartier_section(registry.Section(
    "works", 30, _l("Les chantiers du quartier"), "works/_section.html", quartier_sites,
    _l("Aucun chantier n’est annoncé dans ce quartier pour le moment."),
    "works.index", _l("Voir ces chantiers sur la carte"),
))


def _sitemap():
    yield "works.index", {}
    for site in public_sites():
        yield "works.detail", {"slug": site.slug}


registry.add_sitemap(_sitemap)
