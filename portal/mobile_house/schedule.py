"""Reading the mobile house schedule file (content/mobile_house.yaml) into plain rows.

Checks what a team can get wrong when planning by hand (a bad RRULE, an end before
the start, an unknown quartier or theme, a cancellation on a day without visit) and
says where: each problem is a ScheduleError naming the entry.
"""

from __future__ import annotations

import re
from datetime import date, time

from .. import calendar
from ..calendar import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_SERIES_YEARS,
    date_in_range,
    series_too_long,
)
from ..slugs import SLUG

THEMES = ("relogement", "emploi", "information-projet", "acces-aux-droits", "cadre-de-vie")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ScheduleError(ValueError):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def _date(value, where: str, field: str) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ScheduleError(where, f"{field} {value!r} is not a date (YYYY-MM-DD)") from None
    if not date_in_range(value):
        raise ScheduleError(where, f"{field} {value} is not between {EARLIEST_DATE} and "
                                   f"{LATEST_DATE}")
    return value


def _times(value, where: str) -> tuple[time, time]:
    m = TIME_RANGE.match(str(value or ""))
    if not m:
        raise ScheduleError(where, f"time {value!r} must look like 14:00-17:00")
    h1, m1, h2, m2 = map(int, m.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise ScheduleError(where, f"time {value!r}: {exc}") from None
    if end <= start:
        raise ScheduleError(where, f"time {value!r} ends before it starts")
    return start, end


def _rrule(entry: dict, where: str) -> str:
    if "rrule" in entry and "weekdays" in entry:
        raise ScheduleError(where, "give either weekdays or rrule, not both")
    if "weekdays" in entry:
        days = [str(d).upper() for d in entry["weekdays"] or ()]
        if not days or any(d not in WEEKDAYS for d in days):
            raise ScheduleError(where, f"weekdays {entry['weekdays']!r}: use MO TU WE TH FR SA SU")
        return f"FREQ=WEEKLY;BYDAY={','.join(days)}"
    try:
        return calendar.parse_rrule(str(entry.get("rrule") or ""))
    except ValueError as exc:
        raise ScheduleError(where, f"bad rrule: {exc}") from None


VISIT_KEYS = {"slug", "quartier", "place", "address", "time", "date", "from", "until", "rrule",
              "weekdays", "skip_school_holidays", "except", "cancellations", "themes", "lat",
              "lon", "partners", "description", "translations"}


def parse_visit(entry: dict, index: int, quartiers: set[str]) -> dict:
    """One entry of `visits:` as the fields of a visit row (plus its cancellations)."""
    if not isinstance(entry, dict):
        raise ScheduleError(f"visits[{index}]", "each visit is a mapping")
    slug = str(entry.get("slug") or "")
    where = f"visits[{index}] ({slug or 'no slug'})"
    if not SLUG.match(slug):
        raise ScheduleError(where, "slug must be lowercase words joined by hyphens")
    unknown_keys = sorted(str(key) for key in entry if key not in VISIT_KEYS)
    if unknown_keys:  # a misspelt key would silently change the schedule
        raise ScheduleError(where, f"unknown key(s) {', '.join(unknown_keys)}; "
                                   f"known: {', '.join(sorted(VISIT_KEYS))}")
    for field in ("quartier", "place", "address", "time"):
        if not entry.get(field):
            raise ScheduleError(where, f"missing {field}")
    if not isinstance(entry["quartier"], str) or entry["quartier"] not in quartiers:
        raise ScheduleError(where, f"unknown quartier {entry['quartier']!r}")
    start_time, end_time = _times(entry["time"], where)
    if "date" in entry:
        if any(k in entry for k in ("from", "until", "rrule", "weekdays")):
            raise ScheduleError(where, "a one-off visit has a date, not from/until/rrule")
        starts_on = ends_on = _date(entry["date"], where, "date")
        rrule = None
    else:
        if "from" not in entry or "until" not in entry:
            raise ScheduleError(where, "a series needs from and until (or a one-off date)")
        starts_on = _date(entry["from"], where, "from")
        ends_on = _date(entry["until"], where, "until")
        if ends_on < starts_on:
            raise ScheduleError(where, f"until {ends_on} is before from {starts_on}")
        if series_too_long(starts_on, ends_on):
            raise ScheduleError(where, f"a series lasts at most {MAX_SERIES_YEARS} years; "
                                       f"start a new one after {starts_on.year + MAX_SERIES_YEARS}")
        rrule = _rrule(entry, where)
    themes = entry.get("themes") or []
    if not isinstance(themes, list):
        raise ScheduleError(where, "themes must be a list, for example [relogement, emploi]")
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        raise ScheduleError(where, f"unknown theme(s) {unknown}; known: {', '.join(THEMES)}")
    lat, lon = entry.get("lat"), entry.get("lon")
    if (lat is None) != (lon is None):
        raise ScheduleError(where, "give both lat and lon, or neither")
    if lat is not None and not all(isinstance(v, int | float) and not isinstance(v, bool)
                                   for v in (lat, lon)):
        raise ScheduleError(where, "lat and lon must be numbers (degrees)")
    if lat is not None and not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
        raise ScheduleError(where, "lat/lon out of range")
    excepted = sorted({_date(d, where, "except") for d in entry.get("except") or ()})
    cancellations = []
    for j, c in enumerate(entry.get("cancellations") or ()):
        cwhere = f"{where} cancellations[{j}]"
        if not isinstance(c, dict) or not c.get("reason"):
            raise ScheduleError(cwhere, "a cancellation needs a date and a reason")
        cancellations.append({
            "occurs_on": _date(c.get("date"), cwhere, "date"),
            "reason": str(c["reason"]).strip(),
            "translations": _translations(c.get("translations"), cwhere, ("reason",)),
        })
    return {
        "slug": slug,
        "quartier": entry["quartier"],
        "place_name": str(entry["place"]).strip(),
        "address": str(entry["address"]).strip(),
        "latitude": float(lat) if lat is not None else None,
        "longitude": float(lon) if lon is not None else None,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "start_time": start_time,
        "end_time": end_time,
        "rrule": rrule,
        "skip_school_holidays": bool(entry.get("skip_school_holidays", False)),
        "exception_dates": [d.isoformat() for d in excepted],
        "themes": themes,
        "partners": [str(p) for p in entry.get("partners") or ()],
        "description": str(entry.get("description") or "").strip(),
        "translations": {  # the file says `place`, the row `place_name`
            lang: {("place_name" if k == "place" else k): v for k, v in texts.items()}
            for lang, texts in _translations(
                entry.get("translations"), where, ("place", "description", "partners")
            ).items()
        },
        "cancellations": cancellations,
    }


def _translations(value, where: str, fields: tuple[str, ...]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScheduleError(where, "translations must map a language to fields")
    out = {}
    for lang, texts in value.items():
        if lang not in ("en", "ar") or not isinstance(texts, dict):
            raise ScheduleError(where, f"translations: unknown language {lang!r}")
        extra = set(texts) - set(fields)
        if extra:
            raise ScheduleError(where, f"translations.{lang}: unknown field(s) {sorted(extra)}")
        # A list (partners) is kept one item per line, as the back office's textarea has it.
        out[lang] = {k: "\n".join(map(str, v)) if isinstance(v, list) else str(v).strip()
                     for k, v in texts.items()}
    return out


def parse_holidays(data, where: str = "school_holidays") -> list[dict]:
    rows = []
    for i, h in enumerate((data or {}).get("holidays") or ()):
        hwhere = f"{where} holidays[{i}]"
        if not isinstance(h, dict) or not h.get("label"):
            raise ScheduleError(hwhere, "needs label, first_day, last_day")
        first = _date(h.get("first_day"), hwhere, "first_day")
        last = _date(h.get("last_day"), hwhere, "last_day")
        if last < first:
            raise ScheduleError(hwhere, f"last_day {last} is before first_day {first}")
        rows.append({"zone": str(data.get("zone", "B")), "label": str(h["label"]),
                     "first_day": first, "last_day": last})
    return rows
