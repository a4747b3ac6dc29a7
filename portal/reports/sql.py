"""SQL pieces the bilans share that SQLite and PostgreSQL spell differently: the days between
two timestamps, and the median of a set of values per group (row_number over a window, which
both have; no percentile_cont on SQLite), so every figure is computed by the database."""

from __future__ import annotations

from sqlalchemy import Float, func, null, or_, select, union_all
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


def medians_and_overall(values):
    """median_by for each key and for all keys together, in one statement that reads and
    ranks `values` once (a CTE both halves share): rows (key, median, count), the row of all
    keys last with key NULL. `values` must label a non-NULL `key` and a `value`."""
    rows = values.subquery("med_values")
    ranked = select(
        rows.c.key, rows.c.value,
        func.row_number().over(partition_by=rows.c.key, order_by=rows.c.value).label("rn"),
        func.count().over(partition_by=rows.c.key).label("n"),
        func.row_number().over(order_by=rows.c.value).label("rn_all"),
        func.count().over().label("n_all"),
    ).where(rows.c.value.is_not(None)).cte("med_ranked")
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    middle_all = or_(ranked.c.rn_all == (ranked.c.n_all + 1) // 2,
                     ranked.c.rn_all == (ranked.c.n_all + 2) // 2)
    by_key = (select(ranked.c.key.label("key"), func.avg(ranked.c.value).label("median"),
                     func.max(ranked.c.n).label("n"))
              .where(middle).group_by(ranked.c.key))
    overall = select(null().label("key"), func.avg(ranked.c.value).label("median"),
                     func.max(ranked.c.n_all).label("n")).where(middle_all)
    return union_all(by_key, overall)
