"""Reads of works sites shared by the list, the map script, the GeoJSON and quartier pages."""

from dataclasses import dataclass

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..quartiers import Quartier, quartier_by_slug
from ..slugs import SLUG
from .models import WorksKind, WorksSite, WorksStatus

# What residents look for first: what is happening now, then what is coming, then the past.
STATUS_ORDER = {WorksStatus.ONGOING: 0, WorksStatus.PLANNED: 1, WorksStatus.DONE: 2}
# What one page of the list (and of its map, and of the GeoJSON) holds, whatever the number
# of sites: a phone shows 50 numbered markers legibly, and the page stays small.
SITES_PER_PAGE = 50
GEOJSON_PER_PAGE = 50  # a feature carries its outline and translations: ~2.7 KB
# The quartier page shows what is happening now and next; the works page has the rest.
QUARTIER_SITES = 6


@dataclass(frozen=True)
class SiteFilters:
    """The list's GET filters (?quartier=pile&statut=en-cours&type=demolition). An unknown
    value is ignored, as if that filter were not set: a mistyped link still shows sites."""

    quartier: Quartier | None = None
    status: WorksStatus | None = None
    kind: WorksKind | None = None

    @classmethod
    def from_args(cls, args: MultiDict) -> "SiteFilters":
        return cls(
            quartier=quartier_by_slug(args.get("quartier")),
            status=_member(WorksStatus, args.get("statut")),
            kind=_member(WorksKind, args.get("type")),
        )

    def url_values(self) -> dict[str, str]:
        """The same filters as URL parameters, to share or to build the map and data links."""
        values = {
            "quartier": self.quartier.slug if self.quartier else None,
            "statut": self.status.value if self.status else None,
            "type": self.kind.value if self.kind else None,
        }
        return {key: value for key, value in values.items() if value}

    def __bool__(self) -> bool:
        return any((self.quartier, self.status, self.kind))


def _member(enum_class, value):
    try:
        return enum_class(value)
    except ValueError:
        return None


def _public_query(filters: SiteFilters | None):
    """Published sites matching `filters`, by quartier, then ongoing/planned/done, then
    title (and id, so that pages never overlap); their quartier loaded. The list and the
    map number sites in this order."""
    filters = filters or SiteFilters()
    query = db.select(WorksSite).join(WorksSite.quartier).where(WorksSite.is_published).options(
        selectinload(WorksSite.quartier)
    )
    if filters.quartier is not None:
        query = query.where(WorksSite.quartier_id == filters.quartier.id)
    if filters.status is not None:
        query = query.where(WorksSite.status == filters.status)
    if filters.kind is not None:
        query = query.where(WorksSite.kind == filters.kind)
    status_rank = case({status.value: rank for status, rank in STATUS_ORDER.items()},
                       value=WorksSite.status)
    return query.order_by(Quartier.position, status_rank, WorksSite.title, WorksSite.id)


def public_sites(filters: SiteFilters | None = None) -> list[WorksSite]:
    """Every site matching `filters` (for the back office and tests: pages use sites_page)."""
    return list(db.session.scalars(_public_query(filters)))


def sites_page(filters: SiteFilters | None, page: int, per_page: int = SITES_PER_PAGE,
               count: bool = True) -> Pagination:
    """One page of public_sites(filters); a page past the end is a 404. Without `count`
    (the map script: its page already shows the total), one query less."""
    return db.paginate(_public_query(filters), page=page, per_page=per_page, error_out=True,
                       count=count)


def quartier_sites(quartier: Quartier, limit: int = QUARTIER_SITES) -> list[WorksSite]:
    """The quartier's ongoing works, then the planned ones: at most `limit`."""
    query = _public_query(SiteFilters(quartier=quartier)).where(
        WorksSite.status != WorksStatus.DONE)
    return list(db.session.scalars(query.limit(limit)))


def sitemap_slugs() -> list[str]:
    """Slugs of the published sites: the one column the sitemap needs."""
    return list(db.session.scalars(
        db.select(WorksSite.slug).where(WorksSite.is_published).order_by(WorksSite.id)))


def site_or_404(slug: str) -> WorksSite:
    """A published site (drafts are seen through the back office's preview only)."""
    if not SLUG.match(slug):  # before the query: PostgreSQL refuses NUL bytes
        abort(404)
    site = db.session.scalar(
        db.select(WorksSite).filter_by(slug=slug).where(WorksSite.is_published)
        .options(selectinload(WorksSite.quartier), selectinload(WorksSite.updates))
    )
    if site is None:
        abort(404)
    return site
