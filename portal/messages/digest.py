"""The residents' weekly digest: what is new in their quartiers and topics, in their language,
nothing when nothing is new.

What is new is worked out once per quartier, topic and language (a handful of lists), then
the subscribers are read in keyset pages of BATCH, each page's messages committed and
forgotten: memory does not grow with the number of subscribers. Each message has the key
`digest:<ISO week>:<subscription>`, so running the command twice in a week sends once.

Sources are registered per topic (`add_source(app, topic, source)`); a source is
`source(quartier, since, language) -> list[DigestLine]`. News, works and the Maison Mobile
are registered here; the rendez-vous and consultations domains add theirs.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..clock import now, today
from ..extensions import db
from ..i18n import hour_minute, localized, long_date
from ..quartiers import Quartier
from ..transaction import end_read, unit_of_work
from .models import Subscription, Topic
from .outbox import enqueue
from .subscriptions import absolute_url

BATCH = 500


@dataclass(frozen=True)
class DigestLine:
    text: str  # says what, and for a visit or a meeting its date, time and place
    url: str


def add_source(app: Flask, topic: Topic, source) -> None:
    app.extensions.setdefault("messages_digest_sources", {}).setdefault(topic, []).append(source)


def sources(topic: Topic) -> list:
    return current_app.extensions.get("messages_digest_sources", {}).get(topic, [])


def news_source(quartier, since, language) -> list[DigestLine]:
    from ..news.models import NewsArticle
    from ..news.queries import published_news

    query = published_news(quartier).where(NewsArticle.published_at >= since)
    return [DigestLine(str(localized(a, "title", language)),
                       absolute_url("news.article", slug=a.slug, lang=language))
            for a in db.session.scalars(query.limit(10))]


def works_source(quartier, since, language) -> list[DigestLine]:
    from ..works.models import WorksSite, WorksUpdate

    query = (select(WorksUpdate).join(WorksUpdate.site)
             .where(WorksSite.is_published, WorksSite.quartier_id == quartier.id,
                    WorksUpdate.published_on >= since.date())
             .order_by(WorksUpdate.published_on.desc()).limit(10))
    return [DigestLine(f"{localized(u.site, 'title', language)} : {localized(u, 'text', language)}",
                       absolute_url("works.detail", slug=u.site.slug, lang=language))
            for u in db.session.scalars(query)]


def mobile_house_source(quartier, since, language) -> list[DigestLine]:
    from ..mobile_house.queries import upcoming_visits

    lines = []
    for occ in upcoming_visits(quartier, days=7):
        if occ.cancelled:
            continue
        visit = occ.visit
        lines.append(DigestLine(
            _("Maison Mobile le %(day)s de %(start)s à %(end)s, %(place)s (%(address)s)",
              day=long_date(occ.start), start=hour_minute(occ.start), end=hour_minute(occ.end),
              place=visit.place_name, address=visit.address),
            absolute_url("mobile_house.index", lang=language)))
    return lines


def register_sources(app: Flask) -> None:
    add_source(app, Topic.NEWS, news_source)
    add_source(app, Topic.WORKS, works_source)
    add_source(app, Topic.MOBILE_HOUSE, mobile_house_source)


def _news_by_quartier(since) -> dict:
    """{(quartier_id, topic, language): [DigestLine]} for everything new."""
    found = {}
    for quartier in db.session.scalars(select(Quartier)):
        for topic in Topic:
            for language in ("fr", "en", "ar"):
                with force_locale(language):
                    lines = [line for source in sources(topic)
                             for line in source(quartier, since, language)]
                if lines:
                    found[quartier.id, topic.value, language] = lines
    return found


def send_weekly_digest() -> int:
    """Enqueue one digest per confirmed subscriber with something new; returns how many."""
    if has_request_context():
        return _send_weekly_digest()
    # A command: one request context for all the links, rather than one per link.
    base = current_app.config.get("SITE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        return _send_weekly_digest()


def _send_weekly_digest() -> int:
    since = now() - timedelta(days=7)
    week = today().isocalendar()
    key_prefix = f"digest:{week.year}-W{week.week:02d}"
    news = _news_by_quartier(since)
    quartiers = db.session.scalars(select(Quartier)).all()
    names = {q.id: q.name for q in quartiers}
    slugs = {q.id: q.slug for q in quartiers}
    # Only read so far, and what follows needs plain values: end the read before the batches.
    end_read()
    if not news:
        return 0
    enqueued, last_id = 0, 0
    while True:
        # Keyset pages: one batch in memory at a time, each read, enqueued and marked in one
        # unit (SQLite would refuse the batch's writes while another read was pending).
        with unit_of_work():
            page = db.session.scalars(
                select(Subscription).where(Subscription.confirmed_at.is_not(None),
                                           Subscription.id > last_id)
                .options(selectinload(Subscription.quartiers))
                .order_by(Subscription.id).limit(BATCH)).all()
            if page:
                last_id = page[-1].id
                enqueued += _enqueue_page(page, news, names, slugs, key_prefix)
        db.session.expunge_all()  # the batch's rows and messages: memory stays flat
        if not page:
            return enqueued


def _enqueue_page(page: list[Subscription], news: dict, names: dict, slugs: dict,
                  key_prefix: str) -> int:
    """Enqueue the digests of one page of subscribers (flushes; the caller commits)."""
    done = []
    for subscription in page:
        sections = []
        for quartier in subscription.quartiers:
            lines = [line for topic in subscription.topics
                     for line in news.get((quartier.id, topic, subscription.language), [])]
            if lines:
                sections.append({"quartier": names[quartier.id], "lines": lines,
                                 "url": absolute_url("core.quartier", slug=slugs[quartier.id],
                                                     lang=subscription.language)})
        if sections:
            enqueue(subscription, kind="digest", context={"sections": sections},
                    key=f"{key_prefix}:{subscription.id}", personal=False)
            done.append(subscription.id)
    if done:
        db.session.execute(update(Subscription).where(Subscription.id.in_(done))
                           .values(last_digest_at=now())
                           .execution_options(synchronize_session=False))
    return len(done)
