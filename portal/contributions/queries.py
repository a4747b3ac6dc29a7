"""Reads of contributions the public pages share: the filters (plain GET parameters, which
never fail: an unknown value is ignored), the paginated list, the bounded map and GeoJSON
data, the home and quartier blocks, the Atom feed, the supports of a page and the reports of
the same category nearby ("Déjà signalé ? Soutenez-le"); and the reasons of "non retenue"
the moderators' forms offer."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..quartiers import Quartier, quartier_by_slug
from .models import CLOSED, Contribution, ContributionSupport, Kind, RejectReason, Status
from .texts import CATEGORIES

PER_PAGE = 20
MAP_LIMIT = 500  # the map shows the newest ones; the list pages through all
FEED_LIMIT = 30
NEARBY_M = 150  # "Déjà signalé ?": reports of the same category this close (a box around it)
NEARBY_LIMIT = 5


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


def duplicate_target(contribution_id: int) -> int | None:
    """Where a contribution marked as a duplicate is followed, if that one is public."""
    target = db.session.scalar(
        db.select(Contribution.duplicate_of_id).where(Contribution.id == contribution_id))
    if target is None:
        return None
    return target if db.session.scalar(db.select(Contribution.id).where(
        Contribution.id == target, Contribution.is_published)) else None


def support_counts(ids) -> dict[int, int]:
    """{contribution id: its "Moi aussi"} for `ids` (missing: none), in one query."""
    ids = list(ids)
    if not ids:
        return {}
    query = (db.select(ContributionSupport.contribution_id, db.func.count())
             .where(ContributionSupport.contribution_id.in_(ids))
             .group_by(ContributionSupport.contribution_id))
    return dict(db.session.execute(query).all())


def _box(latitude: float, longitude: float, metres: float) -> tuple[float, float]:
    """Half the sides of a box of about `metres` around a point, in degrees."""
    import math

    dlat = metres / 111_320
    return dlat, dlat / max(math.cos(math.radians(latitude)), 0.01)


def nearby(category: str, latitude: float | None, longitude: float | None,
           metres: float = NEARBY_M) -> list[Contribution]:
    """Published reports of `category`, still open, in a box around the point: a cheap
    comparison of the two columns in SQL, the newest first, at most NEARBY_LIMIT."""
    if not category or latitude is None or longitude is None:
        return []
    dlat, dlon = _box(latitude, longitude, metres)
    query = (published(Filters(kind=Kind.REPORT, category=category))
             .where(Contribution.status.not_in(CLOSED),
                    Contribution.latitude.between(latitude - dlat, latitude + dlat),
                    Contribution.longitude.between(longitude - dlon, longitude + dlon))
             .options(selectinload(Contribution.quartier)).limit(NEARBY_LIMIT))
    return list(db.session.scalars(query))


def feed(quartier: Quartier | None) -> list[Contribution]:
    """The newest published ones of a quartier (or all) for the Atom feed."""
    return list(db.session.scalars(published(Filters(quartier))
                                   .options(selectinload(Contribution.quartier))
                                   .limit(FEED_LIMIT)))


def reject_reasons(*, retired: bool = False) -> list[RejectReason]:
    """The reasons moderators may choose (with `retired`, also those no longer offered:
    the back-office list), in the order they were written."""
    query = db.select(RejectReason).order_by(RejectReason.id)
    if not retired:
        query = query.where(RejectReason.retired_at.is_(None))
    return list(db.session.scalars(query))
