"""Reads of contributions the public pages share: the filters (plain GET parameters, which
never fail: an unknown value is ignored), the paginated list, the bounded map and GeoJSON
data, the home and quartier blocks."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..quartiers import Quartier, quartier_by_slug
from .models import Contribution, Kind, Status
from .texts import CATEGORIES

PER_PAGE = 20
MAP_LIMIT = 500  # the map shows the newest ones; the list pages through all


@dataclass(frozen=True)
class Filters:
    quartier: Quartier | None = None
    kind: Kind | None = None
    category: str | None = None
    status: Status | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        def pick(enum_class, value):
            return next((m for m in enum_class if m.value == value), None)

        category = args.get("categorie")
        return cls(quartier_by_slug(args.get("quartier")), pick(Kind, args.get("type")),
                   category if category in CATEGORIES else None,
                   pick(Status, args.get("etat")))

    def values(self) -> dict:
        found = {"quartier": self.quartier.slug if self.quartier else None,
                 "type": self.kind.value if self.kind else None,
                 "categorie": self.category,
                 "etat": self.status.value if self.status else None}
        return {k: v for k, v in found.items() if v}

    def __bool__(self) -> bool:
        return bool(self.values())


def published(filters: Filters = Filters()):
    query = db.select(Contribution).where(Contribution.is_published)
    if filters.quartier is not None:
        query = query.where(Contribution.quartier_id == filters.quartier.id)
    if filters.kind is not None:
        query = query.where(Contribution.kind == filters.kind)
    if filters.category:
        query = query.where(Contribution.category == filters.category)
    if filters.status is not None:
        query = query.where(Contribution.status == filters.status)
    return query.order_by(Contribution.submitted_at.desc(), Contribution.id.desc())


def page_of(filters: Filters, page: int):
    """One page of the list (its quartiers loaded up front), or 404 past the end."""
    return db.paginate(published(filters).options(selectinload(Contribution.quartier)),
                       page=page, per_page=PER_PAGE, error_out=True, max_per_page=PER_PAGE)


def map_points(filters: Filters) -> list[tuple]:
    """(id, kind, category, latitude, longitude) of the newest MAP_LIMIT located ones."""
    query = published(filters).where(Contribution.latitude.is_not(None)).limit(MAP_LIMIT)
    return list(db.session.execute(query.with_only_columns(
        Contribution.id, Contribution.kind, Contribution.category, Contribution.status,
        Contribution.latitude, Contribution.longitude)))


def public_or_404(contribution_id: int) -> Contribution:
    found = db.session.get(Contribution, contribution_id, options=[
        selectinload(Contribution.quartier), selectinload(Contribution.updates)])
    if found is None or not found.is_published:
        abort(404)
    return found


def latest(quartier: Quartier | None = None, limit: int = 3) -> list[Contribution]:
    query = published(Filters(quartier)).options(selectinload(Contribution.quartier))
    return list(db.session.scalars(query.limit(limit)))


def sitemap_ids(limit: int = 1000) -> list[int]:
    return list(db.session.scalars(published().with_only_columns(Contribution.id)
                                   .limit(limit)))
