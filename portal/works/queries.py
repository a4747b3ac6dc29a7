"""Reads of works sites shared by the list, the map script, the GeoJSON and quartier pages."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..quartiers import Quartier, quartier_by_slug
from ..slugs import SLUG
from .models import WorksKind, WorksSite, WorksStatus

# What residents look for first: what is happening now, then what is coming, then the past.
STATUS_ORDER = {WorksStatus.ONGOING: 0, WorksStatus.PLANNED: 1, WorksStatus.DONE: 2}


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


def public_sites(filters: SiteFilters | None = None) -> list[WorksSite]:
    """Sites matching `filters`, by quartier, then ongoing/planned/done, then title; with
    their quartier loaded. The list and the map number sites in this order."""
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
    query = query.order_by(Quartier.position, WorksSite.title)
    sites = db.session.scalars(query).all()
    return sorted(sites, key=lambda s: (s.quartier.position, STATUS_ORDER[s.status]))


def quartier_sites(quartier: Quartier) -> list[WorksSite]:
    return public_sites(SiteFilters(quartier=quartier))


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
