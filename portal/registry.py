"""Where domains plug into shared pages without editing them: the public navigation, the home
page blocks, the quartier page sections, the sitemap, the back-office menu, the dashboard blocks
and counts, the content loaders and the one validation queue.

Each domain's `init_app(app)` registers its parts on the app's own `Registry`
(`app.extensions["portal"]`); nothing registers itself when a module is imported, so two apps
built in one process (tests, two configurations) each have exactly what their domains added.
Shared pages read it through `of()`:

    registry.of(app).add_nav("news.index", _l("Actualités"), 20)
    sections = registry.of().home_sections()
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

EXTENSION = "portal"


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: Any  # lazy string
    order: int


@dataclass(frozen=True)
class Section:
    """A block of the home page or of a quartier page.

    `load()` (home) or `load(quartier)` returns what `template` shows as `items`; when it is
    empty, the block shows `empty` instead, so residents know the feature exists. `helpers()`
    returns the names the domain's template needs besides `items` (its labels, its links)."""

    key: str
    order: int
    title: Any
    template: str | None  # None: the domain has only its empty state so far
    load: Callable[..., Any]
    empty: Any
    more_endpoint: str | None = None
    more_label: Any = None
    helpers: Callable[[], dict] = dict


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label: Any  # lazy string
    order: int
    permission: Any  # a rules.Predicate: the entry shows only to those it allows


@dataclass(frozen=True)
class DashboardBlock:
    """A block of /admin/: `load(user)` returns the items `template` lists (empty: hidden)."""

    key: str
    order: int
    title: Any
    template: str | None  # None: the domain has only its empty state so far
    load: Callable[[Any], Any]
    permission: Any


@dataclass(frozen=True)
class QuartierCount:
    """A column of the dashboard's table: `count()` returns {quartier_id: number}."""

    key: str
    order: int
    label: Any
    count: Callable[[], dict[int, int]]


@dataclass(frozen=True)
class QueueItem:
    """Something awaiting a decision, as the one validation queue (/admin/a-valider/) lists
    it: what it is, in which quartier, since when, and the page where it is decided."""

    kind: Any  # lazy string: "Rendez-vous", "Contribution"...
    title: str
    quartier: Any  # a Quartier, or None
    submitted_at: Any  # aware datetime (UTC)
    url: str
    # A domain's own priority (contributions: the local pre-moderation score), None if none:
    # its items are ordered by it, highest first, in the places they hold among the others.
    score: int | None = None
    # The domain scores its items but this one's score is not computed yet (stored before
    # the score existed): it comes first among them, oldest first, rather than sink as a 0.
    unscored: bool = False


@dataclass(frozen=True)
class Loader:
    """`load(root, report)` reads a domain's files of content/; lower orders run first."""

    name: str
    order: int
    load: Callable[[Path, Any], None]


def _add(table: dict, key: str, value, kind: str) -> None:
    # Two domains claiming one key is a mistake to see at start-up, not a silent override.
    if key in table:
        raise ValueError(f"{kind} {key!r} is registered twice")
    table[key] = value


@dataclass
class Registry:
    nav: dict[str, NavEntry] = field(default_factory=dict)
    home: dict[str, Section] = field(default_factory=dict)
    quartier: dict[str, Section] = field(default_factory=dict)
    sitemap: list[Callable[[], Iterable[tuple[str, dict]]]] = field(default_factory=list)
    menu: dict[str, MenuEntry] = field(default_factory=dict)
    blocks: dict[str, DashboardBlock] = field(default_factory=dict)
    counts: dict[str, QuartierCount] = field(default_factory=dict)
    loaders: dict[str, Loader] = field(default_factory=dict)
    validation: dict[str, Callable[[Any], Iterable[QueueItem]]] = field(default_factory=dict)

    # --- registration (init_app) ---

    def add_nav(self, endpoint: str, label, order: int) -> None:
        _add(self.nav, endpoint, NavEntry(endpoint, label, order), "navigation entry")

    def add_home_section(self, section: Section) -> None:
        _add(self.home, section.key, section, "home section")

    def add_quartier_section(self, section: Section) -> None:
        _add(self.quartier, section.key, section, "quartier section")

    def add_sitemap(self, provider: Callable[[], Iterable[tuple[str, dict]]]) -> None:
        """`provider()` yields (endpoint, url values) of the public pages a domain owns."""
        self.sitemap.append(provider)

    def add_menu(self, endpoint: str, label, order: int, permission) -> None:
        _add(self.menu, endpoint, MenuEntry(endpoint, label, order, permission), "menu entry")

    def add_dashboard_block(self, block: DashboardBlock) -> None:
        _add(self.blocks, block.key, block, "dashboard block")

    def add_quartier_count(self, count: QuartierCount) -> None:
        _add(self.counts, count.key, count, "quartier count")

    def add_loader(self, order: int, load: Callable[[Path, Any], None]) -> None:
        name = f"{load.__module__}.{load.__name__}"
        _add(self.loaders, name, Loader(name, order, load), "content loader")

    def add_validation_queue(self, key: str, loader: Callable[[Any], Iterable[QueueItem]]):
        """`loader(user)` returns the items awaiting a decision that `user` may see (their
        quartiers only for a neighbourhood team), as QueueItems."""
        _add(self.validation, key, loader, "validation queue")

    # --- reads (requests, commands) ---

    def nav_entries(self) -> list[NavEntry]:
        return sorted(self.nav.values(), key=lambda entry: entry.order)

    def home_sections(self) -> list[tuple[Section, Any]]:
        return [(s, s.load()) for s in sorted(self.home.values(), key=lambda s: s.order)]

    def quartier_sections(self, quartier) -> list[tuple[Section, Any]]:
        return [(s, s.load(quartier))
                for s in sorted(self.quartier.values(), key=lambda s: s.order)]

    def sitemap_pages(self) -> list[tuple[str, dict]]:
        return [page for provider in self.sitemap for page in provider()]

    def menu_for(self, user) -> list[MenuEntry]:
        return [e for e in sorted(self.menu.values(), key=lambda e: e.order)
                if e.permission(user)]

    def dashboard_blocks(self, user) -> list[tuple[DashboardBlock, Any]]:
        blocks = sorted(self.blocks.values(), key=lambda b: b.order)
        return [(b, b.load(user)) for b in blocks if b.permission(user)]

    def quartier_counts(self) -> list[tuple[QuartierCount, dict[int, int]]]:
        return [(c, c.count()) for c in sorted(self.counts.values(), key=lambda c: c.order)]

    def validation_items(self, user) -> list[QueueItem]:
        """Everything awaiting a decision for `user`, oldest first; a domain whose items
        carry a score has them reordered by it (unscored ones first, then highest first,
        then oldest) within the places its items hold, so the other domains' items keep
        their oldest-first places."""
        from .calendar import aware_utc

        def oldest(item):
            return aware_utc(item.submitted_at), item.title

        tagged = sorted(((key, item) for key, loader in self.validation.items()
                         for item in loader(user)), key=lambda pair: oldest(pair[1]))
        for key in self.validation:
            places = [i for i, (k, _item) in enumerate(tagged) if k == key]
            if not any(tagged[i][1].score is not None or tagged[i][1].unscored
                       for i in places):
                continue
            ranked = sorted((tagged[i] for i in places),
                            key=lambda pair: (not pair[1].unscored, -(pair[1].score or 0),
                                              *oldest(pair[1])))
            for place, pair in zip(places, ranked, strict=True):
                tagged[place] = pair
        return [item for _key, item in tagged]

    def ordered_loaders(self) -> list[Loader]:
        return sorted(self.loaders.values(), key=lambda entry: entry.order)


def section_helpers(sections: Iterable[tuple[Section, Any]]) -> dict:
    """The template names the given sections' templates need, for the page that shows them."""
    names: dict = {}
    for section, _items in sections:
        names.update(section.helpers())
    return names


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Registry()


def of(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions[EXTENSION]
