"""Information figures of a bilan: which public pages residents read, per page and month,
from the page-view counts (portal/reports/pageviews.py). Sums in SQL over (day, page)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ..extensions import db
from .models import PageView
from .tables import Block, Table

VIEWS = _l("Pages lues : chaque affichage d’une page publique, compté sur le serveur par "
           "page et par jour, sans cookie ni adresse ni identifiant ; robots exclus.")
TOP_PAGES = 20


def views_by_page(period, limit: int = TOP_PAGES) -> list[list]:
    total = func.sum(PageView.views)
    rows = db.session.execute(
        db.select(PageView.page, total)
        .where(PageView.day >= period.first, PageView.day < period.end)
        .group_by(PageView.page).order_by(total.desc(), PageView.page).limit(limit))
    return [[page, int(views)] for page, views in rows]


def views_by_month(period) -> list[list]:
    year, month = func.extract("year", PageView.day), func.extract("month", PageView.day)
    rows = db.session.execute(
        db.select(year, month, func.sum(PageView.views))
        .where(PageView.day >= period.first, PageView.day < period.end)
        .group_by(year, month).order_by(year, month))
    found = {(int(y), int(m)): int(n) for y, m, n in rows}
    return [[f"{first:%Y-%m}", found.get((first.year, first.month), 0)]
            for first in period.months()]


def block(period, quartiers) -> Block:
    return Block("information", _l("Information"), [
        Table("pages-lues", _l("Pages les plus lues"), VIEWS,
              [_l("Page"), _l("Affichages")], views_by_page(period)),
        Table("pages-par-mois", _l("Pages lues par mois"), VIEWS,
              [_l("Mois"), _l("Affichages")], views_by_month(period)),
    ], note=_l("Les pages lues comptent tout le site : elles ne se filtrent pas par quartier."))
