"""Where each domain plugs its back-office pages in, without editing the back office:
its blueprint (routes under /admin/...), its menu entries, its dashboard blocks and its
counts per quartier. A domain's `admin.py` calls these when its package is imported."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint


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
    template: str
    load: Callable[[Any], Any]
    permission: Any


@dataclass(frozen=True)
class QuartierCount:
    """A column of the dashboard's table: `count()` returns {quartier_id: number}."""

    key: str
    order: int
    label: Any
    count: Callable[[], dict[int, int]]


_blueprints: dict[str, Blueprint] = {}
_menu: dict[str, MenuEntry] = {}
_blocks: dict[str, DashboardBlock] = {}
_counts: dict[str, QuartierCount] = {}


def add_blueprint(bp: Blueprint) -> None:
    _blueprints[bp.name] = bp


def add_menu(endpoint: str, label, order: int, permission) -> None:
    _menu[endpoint] = MenuEntry(endpoint, label, order, permission)


def add_dashboard_block(block: DashboardBlock) -> None:
    _blocks[block.key] = block


def add_quartier_count(count: QuartierCount) -> None:
    _counts[count.key] = count


def blueprints() -> list[Blueprint]:
    return list(_blueprints.values())


def menu_for(user) -> list[MenuEntry]:
    return [e for e in sorted(_menu.values(), key=lambda e: e.order) if e.permission(user)]


def dashboard_blocks(user) -> list[tuple[DashboardBlock, Any]]:
    blocks = sorted(_blocks.values(), key=lambda b: b.order)
    return [(b, b.load(user)) for b in blocks if b.permission(user)]


def quartier_counts() -> list[tuple[QuartierCount, dict[int, int]]]:
    return [(c, c.count()) for c in sorted(_counts.values(), key=lambda c: c.order)]
