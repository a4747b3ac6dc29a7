"""The four quartiers of the programme: the frame every other domain refers to, and the reads
of them that pages and domains share. It sits below every domain package (core shows the
quartiers' pages; the back office and each domain refer to them), so none imports another to
reach it."""

from flask import abort
from sqlalchemy import JSON, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .mixins import FromContentFile, Timestamped, Translated
from .slugs import SLUG


class Quartier(Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "quartier"
    # field -> level of its first heading: the body sits in a titled section (sanitize.py)
    markdown_fields = {"body": 3}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # Its sanitized HTML per language, written on save by sanitize.render_stored.
    body_html: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"value": "≈ 6 500", "label": "habitants"}]; translated labels in translations[lang].figures
    figures: Mapped[list] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<Quartier {self.slug}>"

    @property
    def quartier_ids(self) -> set[int]:
        return {self.id}


def quartier_ids_of(obj) -> set[int]:
    """The quartiers an item belongs to, as its model says: every model that belongs to
    quartiers has a `quartier_ids` property (a child row gives its parent's). Other items
    (a structure of the directory, None on a list page) belong to none."""
    if obj is None:
        return set()
    return set(getattr(obj, "quartier_ids", None) or ())


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
