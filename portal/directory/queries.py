"""Reads of the service directory: the filtered, searched and paginated list, one service or
structure, and `services_for()` for other domains (quartier pages, Maison Mobile visits).
Every read loads the structures up front (selectinload): a page costs a fixed number of queries."""

import math
from dataclasses import dataclass, fields, replace

from flask import abort
from sqlalchemy import case, or_
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from . import hours, vocab
from .models import Service, Structure, public_service_select
from .schema import QUARTIERS
from .search import like_pattern, query_terms
from .search_index import match_clause

PER_PAGE = 12


@dataclass(frozen=True)
class Filters:
    """The GET parameters of /services/, each ignored when its value is unknown (a shared or
    hand-edited link must never break the page)."""

    q: str = ""
    besoin: str = ""  # a vocab.NEEDS key
    theme: str = ""  # a data·inclusion category
    public: str = ""
    quartier: str = ""
    frais: str = ""
    mode: str = ""  # a mode d'accueil
    ouvert: bool = False

    @classmethod
    def from_args(cls, args) -> "Filters":
        def known(name, allowed):
            value = args.get(name, "").strip()
            return value if value in allowed else ""

        return cls(
            q=args.get("q", "").strip()[:200],
            besoin=known("besoin", vocab.NEEDS), theme=known("theme", vocab.CATEGORIES),
            public=known("public", vocab.PUBLICS), quartier=known("quartier", QUARTIERS),
            frais=known("frais", vocab.FRAIS), mode=known("mode", vocab.MODES_ACCUEIL),
            ouvert=args.get("ouvert") in ("1", "on", "oui"),
        )

    def args(self) -> dict:
        """The non-empty filters, as URL parameters (for pagination links)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["ouvert"] = "1" if self.ouvert else ""
        return {name: value for name, value in values.items() if value}

    def args_without(self, name: str) -> dict:
        return {key: value for key, value in self.args().items() if key != name}

    def __bool__(self) -> bool:
        return bool(self.args())


def _tag_clause(column, value: str):
    return column.like(like_pattern(f",{value},"), escape="\\")


def _theme_clause(prefix: str):
    """Services with a thématique equal to `prefix` or under it (a category)."""
    if "--" in prefix:
        return _tag_clause(Service.thematiques_tags, prefix)
    return Service.thematiques_tags.like(like_pattern(f",{prefix}--"), escape="\\")


def need_clause(need: vocab.Need):
    clauses = [_theme_clause(theme) for theme in need.themes]
    clauses += [_tag_clause(Service.publics_tags, public) for public in need.publics]
    return or_(*clauses)


def public_services():
    """Published services of published structures: what residents and the export may see."""
    return public_service_select().options(selectinload(Service.structure))


def services_query(filters: Filters):
    query = public_services()
    groups = query_terms(filters.q)
    if groups:
        query = query.where(match_clause(groups))
    if filters.besoin:
        query = query.where(need_clause(vocab.NEEDS[filters.besoin]))
    if filters.theme:
        query = query.where(_theme_clause(filters.theme))
    if filters.public:  # "tous publics" services welcome everyone, so they match too
        query = query.where(or_(_tag_clause(Service.publics_tags, filters.public),
                                _tag_clause(Service.publics_tags, "tous-publics")))
    if filters.frais:
        query = query.where(Service.frais == filters.frais)
    if filters.mode:
        query = query.where(_tag_clause(Service.modes_accueil_tags, filters.mode))
    order = [Service.nom, Service.id]
    if filters.quartier:
        # The services of the quartier first, then those open to the whole city.
        local = _tag_clause(Service.quartiers_tags, filters.quartier)
        query = query.where(or_(local, Service.quartiers_tags == ""))
        order.insert(0, case((local, 0), else_=1))
    return query.order_by(*order)


@dataclass
class Page:
    """The subset of Flask-SQLAlchemy's Pagination the templates use, for lists filtered in
    Python ("ouvert maintenant" needs the opening-hours parser, not SQL)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def search_services(filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of matching services; 404 for a page past the end (as the news list)."""
    if page < 1:
        abort(404)
    if filters.ouvert:
        at = clock.now()
        matching = [s for s in db.session.scalars(services_query(filters))
                    if hours.is_open(s.opening_hours, at)]
        total = len(matching)
        items = matching[(page - 1) * per_page: page * per_page]
    else:
        total, items = _page_of(services_query(filters), page, per_page)
    if page > 1 and not items:
        abort(404)
    return Page(items, page, per_page, total)


def _page_of(query, page: int, per_page: int) -> tuple[int, list[Service]]:
    """(number of matches, the services of `page`): the count and the page's ids read only
    the index and the sort column, then only the page's rows are loaded whole (a search
    matching thousands of services does not read thousands of rows with their records)."""
    ids = query.with_only_columns(Service.id)
    total = db.session.scalar(db.select(db.func.count()).select_from(ids.subquery())) or 0
    wanted = list(db.session.scalars(ids.limit(per_page).offset((page - 1) * per_page)))
    if not wanted:
        return total, []
    rows = {s.id: s for s in db.session.scalars(public_services().where(Service.id.in_(wanted)))}
    return total, [rows[i] for i in wanted if i in rows]


def fewer_words(filters: Filters, limit: int = 3) -> list[tuple[str, int]]:
    """When a search of several words finds nothing: the same search without one of its
    words, as (query, number of services), those that find something, most found first.
    ("déménager caf" finds nothing: every word must match; "déménager" alone does.)"""
    words = filters.q.split()
    if not 2 <= len(words) <= 8:
        return []
    found = []
    for dropped in range(len(words)):
        shorter = " ".join(words[:dropped] + words[dropped + 1:])
        query = services_query(replace(filters, q=shorter)).with_only_columns(Service.id)
        count = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
        if count:
            found.append((shorter, count))
    return sorted(found, key=lambda item: -item[1])[:limit]


def _usable_id(record_id: str) -> None:
    """404 for ids no record can have (PostgreSQL refuses NUL bytes with an error)."""
    if "\x00" in record_id or len(record_id) > 200:
        abort(404)


def service_or_404(service_id: str) -> Service:
    _usable_id(service_id)
    service = db.session.scalar(public_services().where(Service.id == service_id))
    if service is None:
        abort(404)
    return service


def structure_or_404(structure_id: str) -> Structure:
    _usable_id(structure_id)
    structure = db.session.scalar(
        db.select(Structure).filter_by(id=structure_id).where(Structure.is_published)
        .options(selectinload(Structure.services))
    )
    if structure is None:
        abort(404)
    return structure


def services_for(quartier=None, themes=(), need: str | None = None,
                 limit: int | None = None) -> list[Service]:
    """Services that matter in a quartier (a Quartier row or its slug; None: anywhere), for
    some thématiques or categories and/or a need (vocab.NEEDS key or a Maison Mobile theme),
    the quartier's own first. For quartier pages, Maison Mobile visits and the lead's glue."""
    slug = getattr(quartier, "slug", quartier) or ""
    need = vocab.MOBILE_HOUSE_THEMES.get(need, need)
    query = services_query(Filters(quartier=slug if slug in QUARTIERS else "",
                                   besoin=need if need in vocab.NEEDS else ""))
    if themes:
        query = query.where(or_(*[_theme_clause(theme) for theme in themes]))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def quartier_services(quartier, limit: int = 4) -> list[Service]:
    """The quartier page block: services run in the quartier itself (not city-wide ones)."""
    query = (
        public_services().where(_tag_clause(Service.quartiers_tags, quartier.slug))
        .order_by(Service.nom, Service.id).limit(limit)
    )
    return list(db.session.scalars(query))


def service_links_for_themes(themes, quartier_slug: str | None) -> list[tuple[object, str]]:
    """(need title, /services/ URL) for the themes of another domain (a Maison Mobile visit)
    that match a need: the services that carry on the conversation, in its quartier."""
    from flask import url_for

    links = []
    for theme in themes:
        need = vocab.NEEDS.get(vocab.MOBILE_HOUSE_THEMES.get(theme, ""))
        if need is not None:
            links.append((need.title, url_for("directory.index", besoin=need.key,
                                              quartier=quartier_slug)))
    return links
