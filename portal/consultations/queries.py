"""Reads of campaigns for public pages: which are open, coming or closed (the server's clock
decides, in Europe/Paris), and what residents may see."""

from flask import abort
from sqlalchemy.orm import selectinload

from ..clock import utcnow
from ..extensions import db
from ..mixins import as_utc
from .models import Campaign, Question, ResultsVisibility, Section

COMING, OPEN, CLOSED = "coming", "open", "closed"


def state(campaign: Campaign, at=None) -> str:
    at = at or utcnow()
    if at < as_utc(campaign.opens_at):
        return COMING
    return OPEN if at < as_utc(campaign.closes_at) else CLOSED


def results_public(campaign: Campaign) -> bool:
    visibility = campaign.results_visibility
    if visibility is ResultsVisibility.STAFF:
        return False
    current = state(campaign)
    return current == CLOSED or (visibility is ResultsVisibility.LIVE and current == OPEN)


def published_campaigns(quartier=None):
    query = (db.select(Campaign).where(Campaign.is_published)
             .options(selectinload(Campaign.quartiers)).order_by(Campaign.opens_at.desc()))
    if quartier is not None:
        query = query.where(Campaign.quartiers.contains(quartier))
    return query


def open_campaigns(quartier=None, limit: int | None = None) -> list[Campaign]:
    now = utcnow()
    query = (published_campaigns(quartier)
             .where(Campaign.opens_at <= now, Campaign.closes_at > now)
             .order_by(None).order_by(Campaign.closes_at))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def by_state(quartier=None) -> dict[str, list[Campaign]]:
    groups = {OPEN: [], COMING: [], CLOSED: []}
    now = utcnow()
    for campaign in db.session.scalars(published_campaigns(quartier)):
        groups[state(campaign, now)].append(campaign)
    groups[OPEN].sort(key=lambda c: as_utc(c.closes_at))
    groups[COMING].sort(key=lambda c: as_utc(c.opens_at))
    return groups


def with_questionnaire():
    """Load options: a campaign with its sections, questions and options in 4 queries."""
    return selectinload(Campaign.sections).selectinload(Section.questions).selectinload(
        Question.options)


def published_campaign_or_404(slug: str, with_quartiers: bool = True) -> Campaign:
    """A published campaign with its questionnaire; without its quartiers for an answer
    POST (one query less; a page shown again loads them when it needs them)."""
    options = [with_questionnaire()] + ([selectinload(Campaign.quartiers)] if with_quartiers
                                        else [])
    campaign = db.session.scalar(
        db.select(Campaign).where(Campaign.slug == slug, Campaign.is_published)
        .options(*options))
    if campaign is None:
        abort(404)
    return campaign
