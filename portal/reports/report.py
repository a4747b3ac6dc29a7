"""A bilan: the period, the quartiers and the blocks of figures, built once per request and
shared by the page, the print view, the CSV and the XLSX (so they give the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from ..backoffice.rules import is_team
from ..quartiers import all_quartiers
from . import information, living, mobile_house, participation
from .period import Period, parse_period, parse_quartiers
from .tables import Block, Table

# The blocks of a bilan, in page order. Each is `block(period, quartiers) -> Block`; a domain
# that lands adds its own here.
BLOCKS = (participation.block, mobile_house.block, living.block, information.block)
# The keys of the tables each block gives, so that the CSV of one table builds only its block
# (tests/reports/test_admin.py checks them against the blocks built). A block not listed
# here is built for any table.
TABLE_KEYS = {
    participation.block: ("reponses", "reponses-par-quartier", "rendez-vous", "accompagnement"),
    mobile_house.block: ("passages", "annulations"),
    living.block: ("contributions", "delais", "partenaires"),
    information.block: ("abonnes", "messages", "pages-lues", "pages-par-mois"),
}


@dataclass
class Report:
    period: Period
    quartiers: list
    allowed: list
    blocks: list[Block]

    @property
    def errors(self) -> list:
        return self.period.errors

    def tables(self) -> list[Table]:
        return [table for block in self.blocks for table in block.tables]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables() if t.key == key), None)

    def query(self) -> dict:
        values = self.period.query()
        if len(self.quartiers) != len(self.allowed):
            values["quartier"] = [q.slug for q in self.quartiers]
        return values


def scope_of(user) -> list:
    """The quartiers a user's bilans may cover: a team's own, everyone else's all."""
    quartiers = all_quartiers()
    if is_team(user):
        return [q for q in quartiers if q.id in user.quartier_ids]
    return quartiers


def blocks_for(table: str | None) -> tuple:
    """The blocks to build: all of them, or for one table only the block that holds it."""
    if table is None:
        return BLOCKS
    return tuple(block for block in BLOCKS if table in TABLE_KEYS.get(block, (table,)))


def build(user, args, table: str | None = None) -> Report:
    """The bilan `args` asks for; with `table`, only the block holding that table (a CSV)."""
    period = parse_period(args)
    allowed = scope_of(user)
    quartiers = parse_quartiers(args, allowed, period.errors)
    return Report(period, quartiers, allowed,
                  [block(period, quartiers) for block in blocks_for(table)])
