"""The four quartiers of the programme: the frame every other domain refers to."""

from sqlalchemy import JSON, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated


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
