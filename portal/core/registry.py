"""Where domains plug into shared pages without editing them: the navigation, the home page
blocks, the quartier page sections and the sitemap. Each domain registers its parts when its
blueprint is imported (adhocracy4's habit: a feature grows without touching a central file)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: Any  # lazy string
    order: int


@dataclass(frozen=True)
class Section:
    """A block of the home page or of a quartier page.

    `load()` (home) or `load(quartier)` returns what `template` shows as `items`; when it is
    empty, the block shows `empty` instead, so residents know the feature exists."""

    key: str
    order: int
    title: Any
    template: str | None
    load: Callable[..., Any]
    empty: Any
    more_endpoint: str | None = None
    more_label: Any = None


_nav: dict[str, NavEntry] = {}
_home: dict[str, Section] = {}
_quartier: dict[str, Section] = {}
_sitemap: list[Callable[[], Iterable[tuple[str, dict]]]] = []


def add_nav(endpoint: str, label, order: int) -> None:
    _nav[endpoint] = NavEntry(endpoint, label, order)


def add_home_section(section: Section) -> None:
    _home[section.key] = section  # a later registration with the same key replaces the first


def add_quartier_section(section: Section) -> None:
    _quartier[section.key] = section


def add_sitemap(provider: Callable[[], Iterable[tuple[str, dict]]]) -> None:
    """`provider()` yields (endpoint, url values) of the public pages a domain owns."""
    _sitemap.append(provider)


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda entry: entry.order)


def home_sections() -> list[tuple[Section, Any]]:
    return [(s, s.load()) for s in sorted(_home.values(), key=lambda s: s.order)]


def quartier_sections(quartier) -> list[tuple[Section, Any]]:
    return [(s, s.load(quartier)) for s in sorted(_quartier.values(), key=lambda s: s.order)]


def sitemap_pages() -> list[tuple[str, dict]]:
    return [page for provider in _sitemap for page in provider()]
