"""Reads of quartiers shared by pages and other domains."""

from flask import abort

from ..extensions import db
from ..slugs import SLUG
from .models import Quartier


def all_quartiers() -> list[Quartier]:
    return list(db.session.scalars(db.select(Quartier).order_by(Quartier.position, Quartier.name)))


def quartier_or_404(slug: str) -> Quartier:
    quartier = db.session.scalar(db.select(Quartier).filter_by(slug=slug))
    if quartier is None:
        abort(404)
    return quartier


def quartier_by_slug(slug: str | None) -> Quartier | None:
    """The quartier named by a filter parameter, or None for a missing or unknown value."""
    # Checked before the query: PostgreSQL refuses some bytes (NUL) a URL may carry.
    if not slug or len(slug) > 40 or not SLUG.match(slug):
        return None
    return db.session.scalar(db.select(Quartier).filter_by(slug=slug))
