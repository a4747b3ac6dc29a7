"""SQL pieces the bilans share that SQLite and PostgreSQL spell differently: the days between
two timestamps, and the median of a set of values per group (row_number over a window, which
both have; no percentile_cont on SQLite), so every figure is computed by the database."""

from __future__ import annotations

from sqlalchemy import Float, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """days_between(later, earlier): the time between two timestamps, in days (fractional)."""

    type = Float()
    inherit_cache = True


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}))")


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
            f"{compiler.process(earlier, **kw)})) / 86400.0)")


def median_by(values):
    """SELECT key, median(value), count GROUP BY key, for `values`, a select of labelled
    columns `key` and `value` (or `value` alone: one row for all). NULL values are left out.
    The median is the middle value, or the mean of the two middle ones, of the values the
    database sorted."""
    rows = values.subquery("med_values")
    key = rows.c.key if "key" in rows.c else None
    ranked = select(
        *([key] if key is not None else []), rows.c.value,
        func.row_number().over(partition_by=key, order_by=rows.c.value).label("rn"),
        func.count().over(partition_by=key).label("n"),
    ).where(rows.c.value.is_not(None)).subquery("med_ranked")
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    if key is None:
        return select(func.avg(ranked.c.value), func.max(ranked.c.n)).where(middle)
    return (select(ranked.c.key, func.avg(ranked.c.value), func.max(ranked.c.n))
            .where(middle).group_by(ranked.c.key))
