"""News articles of the project, linked to the quartiers they concern."""

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated, as_utc
from ..publication import Publication
from ..quartiers import Quartier

news_quartier = Table(
    "news_quartier",
    db.metadata,
    Column("news_id", ForeignKey("news_article.id", ondelete="CASCADE"), primary_key=True),
    Column("quartier_id", ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True),
)


class NewsArticle(Publication, Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "news_article"
    markdown_fields = {"body": 2}  # field -> level of its first heading (sanitize.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    easy_read: Mapped[str] = mapped_column(Text, default="")  # "facile à lire", shown first
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # The body (and its translations) as sanitized HTML per language, written on save by
    # sanitize.render_stored: pages never run the Markdown engine.
    body_html: Mapped[dict] = mapped_column(JSON, default=dict)
    image_path: Mapped[str | None] = mapped_column(String(255))  # under the media folder
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=news_quartier, order_by=Quartier.position
    )

    @property
    def quartier_ids(self) -> set[int]:
        """The quartiers it concerns, for the permissions and the audit log."""
        return {q.id for q in self.quartiers}

    def on_published(self, at: datetime) -> None:
        # Dated the first time only, so a correction keeps its place in the list.
        self.published_at = self.published_at or at

    @property
    def modified_at(self) -> datetime | None:
        """When readers last saw it change: its publication, or a later edit (feeds, JSON-LD)."""
        if self.updated_at is None or self.published_at is None:
            return self.published_at or self.updated_at
        return max(self.updated_at, self.published_at, key=as_utc)

    def __repr__(self) -> str:
        return f"<NewsArticle {self.slug}>"
