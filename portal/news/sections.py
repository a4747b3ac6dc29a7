"""The news blocks of the home page and of quartier pages."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import latest_news


def _sitemap():
    from ..extensions import db
    from .models import NewsArticle

    yield "news.index", {}
    # The slugs only: the sitemap needs no article's text.
    slugs = (db.select(NewsArticle.slug).where(NewsArticle.is_published)
             .order_by(NewsArticle.published_at.desc(), NewsArticle.id.desc()))
    for slug in db.session.scalars(slugs):
        yield "news.article", {"slug": slug}


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
