"""Works sites (chantiers) of the four quartiers and the dated updates of their timeline."""

import enum
from datetime import date

from sqlalchemy import JSON, Boolean, Date, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated, enum_values
from ..publication import Publication
from ..quartiers import Quartier


# Values are the French slugs residents see in shared links (?statut=en-cours&type=demolition)
# and in the open data: one vocabulary for the database, the URL and the GeoJSON.
class WorksKind(enum.Enum):
    DEMOLITION = "demolition"
    REHABILITATION = "rehabilitation"
    CONSTRUCTION = "construction"
    PUBLIC_SPACE = "espaces-publics"
    FACILITY = "equipement"


class WorksStatus(enum.Enum):
    PLANNED = "a-venir"
    ONGOING = "en-cours"
    DONE = "termine"


class WorksSite(Publication, Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "works_site"
    markdown_fields = {"description": 2}  # field -> level of its first heading (sanitize.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    quartier_id: Mapped[int] = mapped_column(
        ForeignKey("quartier.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[WorksKind] = mapped_column(
        Enum(WorksKind, native_enum=False, length=20, values_callable=enum_values)
    )
    status: Mapped[WorksStatus] = mapped_column(
        Enum(WorksStatus, native_enum=False, length=20, values_callable=enum_values), index=True
    )
    summary: Mapped[str] = mapped_column(String(400), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # Its sanitized HTML per language, written on save by sanitize.render_stored.
    description_html: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(300), default="")
    owner: Mapped[str] = mapped_column(String(200))  # the maître d'ouvrage
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    homes_concerned: Mapped[int | None] = mapped_column(Integer)
    nuisances: Mapped[str] = mapped_column(Text, default="")
    nuisances_until: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    insertion_jobs: Mapped[int | None] = mapped_column(Integer)
    insertion_hours: Mapped[int | None] = mapped_column(Integer)
    insertion_contact: Mapped[str] = mapped_column(Text, default="")
    # An RFC 7946 geometry (Point or Polygon), checked by geo.validate_geometry on the way in.
    geometry: Mapped[dict] = mapped_column(JSON)
    # Where the marker goes (the point, or the polygon's centroid): computed once at load.
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    quartier: Mapped[Quartier] = relationship()
    updates: Mapped[list["WorksUpdate"]] = relationship(
        back_populates="site", cascade="all, delete-orphan",
        order_by="(WorksUpdate.published_on.desc(), WorksUpdate.id.desc())",
    )

    @property
    def quartier_ids(self) -> set[int]:
        """Its quartier, for the permissions and the audit log (quartiers.quartier_ids_of)."""
        return {self.quartier_id} if self.quartier_id is not None else set()

    def __repr__(self) -> str:
        return f"<WorksSite {self.slug}>"


class WorksUpdate(Translated, db.Model):
    """One dated line of a site's timeline ("Début de la démolition")."""

    __tablename__ = "works_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("works_site.id", ondelete="CASCADE"), index=True
    )
    published_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)

    site: Mapped[WorksSite] = relationship(back_populates="updates")

    @property
    def quartier_ids(self) -> set[int]:
        """Its site's: a step of the timeline belongs where the site does."""
        return self.site.quartier_ids if self.site is not None else set()
