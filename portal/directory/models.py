"""Structures and the services they run, as the data·inclusion schema (v1) describes them.

The columns hold what pages show, filter and search on; `record` keeps the whole validated
data·inclusion record, so the export gives back exactly what was imported (round trip) even for
fields the portal does not show. List-valued vocabularies (thématiques, publics, modes d'accueil,
quartiers served) are also kept as ",a,b," tag strings: one LIKE filter per value then works the
same on SQLite and PostgreSQL, and pagination stays in SQL.
"""

from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated
from ..publication import Publication
from ..quartiers import Quartier


def tags(values) -> str:
    """['a', 'b'] -> ',a,b,' (sorted, so the same set always gives the same string)."""
    values = sorted(set(values or ()))
    return "," + ",".join(values) + "," if values else ""


def untag(text: str | None) -> list[str]:
    return [value for value in (text or "").split(",") if value]


class Place:
    """Address and contact columns shared by structures and services."""

    adresse: Mapped[str | None] = mapped_column(String(255))
    complement_adresse: Mapped[str | None] = mapped_column(String(255))
    code_postal: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    telephone: Mapped[str | None] = mapped_column(String(40))
    courriel: Mapped[str | None] = mapped_column(String(255))
    horaires_accueil: Mapped[str | None] = mapped_column(Text)  # OSM opening_hours syntax


class Structure(Place, Publication, Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "directory_structure"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the data·inclusion id
    source: Mapped[str] = mapped_column(String(100), index=True)
    nom: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    site_web: Mapped[str | None] = mapped_column(String(500))
    accessibilite_lieu: Mapped[str | None] = mapped_column(String(500))
    date_maj: Mapped[date] = mapped_column(Date)
    record: Mapped[dict] = mapped_column(JSON, default=dict)

    services: Mapped[list["Service"]] = relationship(
        back_populates="structure", order_by="Service.nom"
    )

    @property
    def public_services(self) -> list["Service"]:
        return [service for service in self.services if service.is_published]

    def __repr__(self) -> str:
        return f"<Structure {self.id}>"


class Service(Place, Publication, Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "directory_service"
    # What a search reads for each match before choosing its page (queries._page_of): the
    # published test, the structure to join and the sort key, without the row and its record.
    __table_args__ = (Index("ix_directory_service_listing", "publication_status",
                            "structure_id", "nom"),)

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the data·inclusion id
    structure_id: Mapped[str] = mapped_column(
        ForeignKey("directory_structure.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(100), index=True)
    nom: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str | None] = mapped_column(String(40))  # TypeService value
    frais: Mapped[str | None] = mapped_column(String(20), index=True)  # Frais value
    frais_precisions: Mapped[str | None] = mapped_column(Text)
    publics_precisions: Mapped[str | None] = mapped_column(Text)
    conditions_acces: Mapped[str | None] = mapped_column(Text)
    mobilisation_precisions: Mapped[str | None] = mapped_column(Text)
    lien_mobilisation: Mapped[str | None] = mapped_column(String(500))
    date_maj: Mapped[date] = mapped_column(Date)
    thematiques_tags: Mapped[str] = mapped_column(Text, default="")
    publics_tags: Mapped[str] = mapped_column(Text, default="")
    modes_accueil_tags: Mapped[str] = mapped_column(String(100), default="")
    # Quartiers of the programme the service is meant for; "" means the whole city.
    quartiers_tags: Mapped[str] = mapped_column(String(200), default="")
    # Lowercase, accent-free text of name, description, structure and labels (see search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    record: Mapped[dict] = mapped_column(JSON, default=dict)

    structure: Mapped[Structure] = relationship(back_populates="services")

    @property
    def thematiques(self) -> list[str]:
        return untag(self.thematiques_tags)

    @property
    def publics(self) -> list[str]:
        return untag(self.publics_tags)

    @property
    def modes_accueil(self) -> list[str]:
        return untag(self.modes_accueil_tags)

    @property
    def quartiers(self) -> list[str]:
        return untag(self.quartiers_tags)

    @property
    def quartier_ids(self) -> set[int]:
        """The quartiers it is meant for (named by slug in its record), for the permissions
        and the audit log; none when it serves the whole city."""
        slugs = self.quartiers
        if not slugs:
            return set()
        return set(db.session.scalars(db.select(Quartier.id).where(Quartier.slug.in_(slugs))))

    @property
    def modes_mobilisation(self) -> list[str]:
        return sorted(self.record.get("modes_mobilisation") or [])

    @property
    def mobilisable_par(self) -> list[str]:
        return sorted(self.record.get("mobilisable_par") or [])

    @property
    def opening_hours(self) -> str | None:
        """The service's own hours, else its structure's (as the schema says)."""
        structure_hours = self.structure.horaires_accueil if self.structure else None
        return self.horaires_accueil or structure_hours

    @property
    def is_public(self) -> bool:
        """Residents see a service once it and the structure that runs it are published."""
        return (self.is_published and self.structure is not None
                and self.structure.is_published)

    def __repr__(self) -> str:
        return f"<Service {self.id}>"


def public_service_select(*entities):
    """SELECT of published services whose structure is published too (what pages, the
    sitemap and the open-data export may show); the whole Service unless `entities` say."""
    return (db.select(*(entities or (Service,))).join(Service.structure)
            .where(Service.is_published, Structure.is_published))
