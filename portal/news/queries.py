"""Reads of published news, shared by the list, the feed, the home page and quartier pages."""

from flask import abort
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import NewsArticle


def published_news(quartier=None):
    """Published articles, newest first, with their quartiers loaded (one extra query)."""
    query = (
        db.select(NewsArticle)
        .where(NewsArticle.is_published)
        .options(selectinload(NewsArticle.quartiers))
        .order_by(NewsArticle.published_at.desc(), NewsArticle.id.desc())
    )
    if quartier is not None:
        query = query.where(NewsArticle.quartiers.contains(quartier))
    return query


def latest_news(limit: int = 3, quartier=None) -> list[NewsArticle]:
    return list(db.session.scalars(published_news(quartier).limit(limit)))


def published_article_or_404(slug: str) -> NewsArticle:
    article = db.session.scalar(
        db.select(NewsArticle)
        .filter_by(slug=slug).where(NewsArticle.is_published)
        .options(selectinload(NewsArticle.quartiers))
    )
    if article is None:
        abort(404)
    return article
