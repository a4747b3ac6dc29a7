"""Information figures of a bilan: the subscribers of each quartier by channel, the messages
sent and failed, and which public pages residents read, per page and month, from the
page-view counts (portal/reports/pageviews.py). Each a GROUP BY in SQL over indexed columns."""

import threading
from collections import OrderedDict

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from ..extensions import db
from ..messages import rollup
from ..messages.models import Channel, Message, MessageState, Subscription, subscription_quartier
from .models import PageView
from .tables import Block, Table

SUBSCRIBERS = _l("Abonnés : adresses e-mail et numéros confirmés au jour de l’extraction et "
                 "abonnés au quartier ; une adresse abonnée à deux quartiers compte dans "
                 "chacun, une fois dans le total. Nouveaux : confirmés sur la période.")
def messages_definition() -> str:
    config = current_app.config
    return _("Messages : e-mails et SMS mis en file sur la période, par sorte ; envoyés : "
              "remis au prestataire ; échoués : abandonnés après une erreur définitive ou "
              "trop d’essais. Les messages envoyés sont effacés après %(sent)d jours et les "
              "échoués après %(dead)d jours (données personnelles) ; ils restent comptés, "
              "par jour, canal, sorte et état, sans destinataire ni contenu.",
             sent=config["MESSAGES_KEEP_SENT_DAYS"], dead=config["MESSAGES_KEEP_DEAD_DAYS"])


CHANNELS = {Channel.EMAIL: _l("E-mail"), Channel.SMS: _l("SMS")}

VIEWS = _l("Pages lues : chaque affichage d’une page publique, compté sur le serveur par "
           "page et par jour, sans cookie ni adresse ni identifiant ; robots exclus.")
TOP_PAGES = 20


def _views_by_day(period) -> list[tuple]:
    """(day, views, rows) per day of the period: an index-only range in day order (no sort),
    the cheap read both page-view tables start from."""
    return [(day, int(n), int(rows)) for day, n, rows in db.session.execute(
        db.select(PageView.day, func.sum(PageView.views), func.count())
        .where(PageView.day >= period.first, PageView.day < period.end)
        .group_by(PageView.day).order_by(PageView.day))]


def _top_pages(period, limit: int) -> list[list]:
    total = func.sum(PageView.views)
    rows = db.session.execute(
        db.select(PageView.page, total)
        .where(PageView.day >= period.first, PageView.day < period.end)
        .group_by(PageView.page).order_by(total.desc(), PageView.page).limit(limit))
    return [[page, int(views)] for page, views in rows]


class TopPagesCache:
    """The most read pages of a period, kept by (period, limit, its per-day counts). Counts
    only ever grow (pageviews.upsert adds, nothing else writes the table): any new view in
    the period changes a day's sum, hence the key, so a current period is never stale. The
    per-day read is what the monthly table needs anyway; the grouping by page (a sort of
    every day and page row: the costly part) runs once per state of the data."""

    SIZE = 32

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, compute):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return [list(row) for row in self.entries[key]]
        found = compute()
        with self.lock:
            self.entries[key] = tuple(tuple(row) for row in found)
            while len(self.entries) > self.SIZE:
                self.entries.popitem(last=False)
        return found


def _cache() -> TopPagesCache:
    return current_app.extensions.setdefault("reports_top_pages", TopPagesCache())


def views_by_page(period, limit: int = TOP_PAGES, by_day: list | None = None) -> list[list]:
    if not current_app.config.get("REPORTS_PAGE_VIEWS_CACHE", True):
        return _top_pages(period, limit)
    by_day = _views_by_day(period) if by_day is None else by_day
    key = (period.first, period.end, limit, tuple(by_day))
    return _cache().get(key, lambda: _top_pages(period, limit))


def views_by_month(period, by_day: list | None = None) -> list[list]:
    """Summed per day in SQL (an index-only range, no date function on each row), the days
    then folded into months: a year is 365 rows."""
    found: dict[tuple[int, int], int] = {}
    for day, n, _rows in _views_by_day(period) if by_day is None else by_day:
        found[(day.year, day.month)] = found.get((day.year, day.month), 0) + n
    return [[f"{first:%Y-%m}", found.get((first.year, first.month), 0)]
            for first in period.months()]


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def subscribers(period, quartier_ids: list[int]) -> tuple[list, list]:
    """{quartier_id: [e-mail, SMS, new on the period]} and the same counting each address
    once: two grouped counts over the confirmed subscriptions."""
    start, end = period.utc_bounds()
    confirmed = Subscription.confirmed_at.is_not(None)
    new = (Subscription.confirmed_at >= start) & (Subscription.confirmed_at < end)
    columns = (_count(Subscription.channel == Channel.EMAIL),
               _count(Subscription.channel == Channel.SMS), _count(new))
    found = {qid: [int(v) for v in values] for qid, *values in db.session.execute(
        db.select(subscription_quartier.c.quartier_id, *columns)
        .join(Subscription, Subscription.id == subscription_quartier.c.subscription_id)
        .where(confirmed, subscription_quartier.c.quartier_id.in_(quartier_ids))
        .group_by(subscription_quartier.c.quartier_id))}
    chosen = (db.select(subscription_quartier.c.subscription_id)
              .where(subscription_quartier.c.quartier_id.in_(quartier_ids)))
    total = db.session.execute(db.select(*columns).where(
        confirmed, Subscription.id.in_(chosen))).one()
    return found, [int(v) for v in total]


def messages(period) -> list[list]:
    """Rows [kind, channel, enqueued, sent, failed]: the outbox's rows of the period plus the
    day counts of those the retention purge forgot (messages/rollup.py; a message is in one
    or the other, never both), so a past month keeps its figures. No quartier: a message goes
    to a person, not to a quartier."""
    start, end = period.utc_bounds()
    found: dict[tuple, list[int]] = {}
    for kind, channel, n, sent, dead in db.session.execute(
            db.select(Message.kind, Message.channel, func.count(),
                      _count(Message.state == MessageState.SENT),
                      _count(Message.state == MessageState.DEAD))
            .where(Message.created_at >= start, Message.created_at < end)
            .group_by(Message.kind, Message.channel)):
        found[(kind, channel)] = [int(n), int(sent), int(dead)]
    for kind, channel, state, n in rollup.counts_between(period.first, period.end):
        row = found.setdefault((kind, channel), [0, 0, 0])
        row[0] += int(n)
        row[1 if state is MessageState.SENT else 2] += int(n)
    return [[kind, str(CHANNELS[channel]), *found[(kind, channel)]]
            for kind, channel in sorted(found, key=lambda k: (k[0], k[1].value))]


def block(period, quartiers) -> Block:
    found, total = subscribers(period, [q.id for q in quartiers])
    by_day = _views_by_day(period)  # read once for both page-view tables
    return Block("information", _l("Information"), [
        Table("abonnes", _l("Abonnés par quartier et canal"), SUBSCRIBERS,
              [_l("Quartier"), _l("E-mail"), _l("SMS"), _l("Nouveaux sur la période")],
              [[q.name, *found.get(q.id, [0, 0, 0])] for q in quartiers],
              chart_columns=(1, 2), totals=total),
        Table("messages", _l("Messages envoyés et échoués"),
              messages_definition(),
              [_l("Sorte"), _l("Canal"), _l("Mis en file"), _l("Envoyés"), _l("Échoués")],
              messages(period), chart_columns=(3, 4)),
        Table("pages-lues", _l("Pages les plus lues"), VIEWS,
              [_l("Page"), _l("Affichages")], views_by_page(period, by_day=by_day)),
        Table("pages-par-mois", _l("Pages lues par mois"), VIEWS,
              [_l("Mois"), _l("Affichages")], views_by_month(period, by_day)),
    ], note=_l("Les messages et les pages lues comptent tout le site : ils ne se filtrent pas "
               "par quartier."))
