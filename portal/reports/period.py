"""The period and quartiers a bilan covers, read from the query string.

A period is a month (`?mois=2026-03`), a quarter (`?trimestre=2026-T1`), a year
(`?annee=2026`) or two dates (`?du=2026-01-15&au=2026-02-14`, both days included). Bad input
never fails: it gives the current month and a message saying why. Days are Europe/Paris
days; `utc_bounds` gives the instants SQL compares timestamps with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from .. import clock
from ..clock import PARIS

KINDS = ("mois", "trimestre", "annee", "dates")
MAX_DAYS = 3 * 366  # longer periods are refused: the page stays fast and readable
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-T([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
FIRST_YEAR, LAST_YEAR = 2015, 2100


@dataclass
class Period:
    kind: str
    first: date  # included
    last: date  # included
    errors: list = field(default_factory=list)

    @property
    def end(self) -> date:
        """The day after the last: half-open ranges in SQL."""
        return self.last + timedelta(days=1)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware instants: midnight in Paris, whatever the season."""
        return (datetime.combine(self.first, time(0), tzinfo=PARIS).astimezone(UTC),
                datetime.combine(self.end, time(0), tzinfo=PARIS).astimezone(UTC))

    @property
    def days(self) -> int:
        return (self.end - self.first).days

    def months(self) -> list[date]:
        """The first day of each month the period touches (the x axis of monthly charts)."""
        found, day = [], self.first.replace(day=1)
        while day <= self.last:
            found.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return found

    def query(self) -> dict:
        """The query-string values that give this period back (links, exports)."""
        if self.kind == "mois":
            return {"mois": f"{self.first:%Y-%m}"}
        if self.kind == "trimestre":
            return {"trimestre": f"{self.first.year}-T{(self.first.month - 1) // 3 + 1}"}
        if self.kind == "annee":
            return {"annee": str(self.first.year)}
        return {"du": self.first.isoformat(), "au": self.last.isoformat()}


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _year_ok(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if _year_ok(day.year) else None


def current_month() -> Period:
    first, last = _month(clock.today().year, clock.today().month)
    return Period("mois", first, last)


def parse_period(args) -> Period:
    """The period `args` (request.args) asks for, or the current month with `errors`."""
    text = {k: (args.get(k) or "").strip()[:40] for k in ("mois", "trimestre", "annee", "du", "au")}
    if text["du"] or text["au"]:
        first, last = _day(text["du"]), _day(text["au"])
        if first is None or last is None:
            return _fallback(_l("Les dates doivent être des jours réels, au format AAAA-MM-JJ."))
        if last < first:
            return _fallback(_l("La fin de la période est avant son début."))
        if (last - first).days >= MAX_DAYS:
            return _fallback(_l("La période ne peut pas dépasser trois ans."))
        return Period("dates", first, last)
    if text["mois"]:
        match = _MONTH.match(text["mois"])
        if match and _year_ok(int(match[1])) and 1 <= int(match[2]) <= 12:
            return Period("mois", *_month(int(match[1]), int(match[2])))
        return _fallback(_l("Ce mois n’existe pas (format AAAA-MM)."))
    if text["trimestre"]:
        match = _QUARTER.match(text["trimestre"].upper())
        if match and _year_ok(int(match[1])):
            start_month = (int(match[2]) - 1) * 3 + 1
            first = _month(int(match[1]), start_month)[0]
            return Period("trimestre", first, _month(int(match[1]), start_month + 2)[1])
        return _fallback(_l("Ce trimestre n’existe pas (format AAAA-T1 à AAAA-T4)."))
    if text["annee"]:
        match = _YEAR.match(text["annee"])
        if match and _year_ok(int(match[1])):
            year = int(match[1])
            return Period("annee", date(year, 1, 1), date(year, 12, 31))
        return _fallback(_l("Cette année n’est pas prise en compte."))
    return current_month()


def _fallback(message) -> Period:
    period = current_month()
    period.errors.append(message)
    return period


def parse_quartiers(args, allowed: list, errors: list) -> list:
    """The quartiers asked for (`?quartier=alma&quartier=pile`) among `allowed` (the user's);
    none asked: all allowed. Unknown or forbidden slugs are dropped with a message."""
    by_slug = {q.slug: q for q in allowed}
    asked = [s.strip()[:60] for s in args.getlist("quartier") if s.strip()]
    chosen = [by_slug[s] for s in dict.fromkeys(asked) if s in by_slug]
    if len(chosen) < len(set(asked)):
        errors.append(_l("Certains quartiers demandés ne sont pas dans votre périmètre : "
                         "ils ne sont pas comptés."))
    return chosen or list(allowed)
