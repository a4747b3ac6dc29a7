"""The news blocks of the home page and of quartier pages."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import latest_news


def _sitemap():
    from ..extensions import db
    from .queries import published_news

    yield "news.index", {}
    for article in db.session.scalars(published_news()):
        yield "news.article", {"slug": article.slug}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "news", 20, _l("Dernières actualités"), "news/_list.html", lambda: latest_news(3),
        _l("Aucune actualité pour le moment."), "news.index", _l("Toutes les actualités"),
    ))
    reg.add_quartier_section(Section(
        "news", 40, _l("Actualités du quartier"), "news/_list.html",
        lambda quartier: latest_news(3, quartier), _l("Aucune actualité pour ce quartier."),
        "news.index", _l("Toutes les actualités"),
    ))
    reg.add_sitemap(_sitemap)
