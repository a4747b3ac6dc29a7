"""Loads content/events.yaml: demonstration rendez-vous whose dates are given relative to the
day of loading (`in_days: 3`, `time: "18:00-20:00"`), so the agenda is never empty nor all
past. Every problem is reported with the file, the line and what is wrong."""

from datetime import datetime, time, timedelta
from pathlib import Path

from .. import clock
from ..content import Report, upsert
from ..extensions import db
from ..mobile_house.loader import LINE, _read, _strip_lines
from ..quartiers import Quartier
from .models import EventStatus
from .texts import ACCESS, KINDS

FILE = "events.yaml"
FIELDS = ("title", "easy_read", "description", "place_name", "change_note", "report")


def _hours(text) -> tuple[time, time]:
    start, end = str(text).split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def _problems(item: dict, quartiers: dict) -> list[str]:
    problems = [f"missing {key!r}" for key in ("slug", "quartier", "kind", "title", "in_days",
                                               "time", "place") if key not in item]
    if item.get("quartier") not in quartiers:
        problems.append(f"unknown quartier {item.get('quartier')!r}")
    if item.get("kind") not in KINDS:
        problems.append(f"unknown kind {item.get('kind')!r} (one of {', '.join(KINDS)})")
    unknown = set(item.get("accessibility") or ()) - set(ACCESS)
    if unknown:
        problems.append(f"unknown accessibility {sorted(unknown)}")
    if not isinstance(item.get("in_days", 0), int):
        problems.append("in_days must be a whole number of days")
    try:
        start, end = _hours(item.get("time", "00:00-00:01"))
        if end <= start:
            problems.append("time: the end must be after the start")
    except ValueError:
        problems.append("time must read like \"18:00-20:00\"")
    return problems


def load_events(root: Path, report: Report) -> None:
    from .models import Event

    path = root / FILE
    data = _read(path, report)
    if data is None:
        return
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    today = clock.today()
    for item in data.get("events") or ():
        line = item.get(LINE)
        problems = _problems(item, quartiers)
        if problems:
            for problem in problems:
                report.error(path, line, problem)
            continue
        source = _strip_lines(item)
        start_time, end_time = _hours(item["time"])
        day = today + timedelta(days=item["in_days"])
        starts = datetime.combine(day, start_time, tzinfo=clock.PARIS)
        deadline_days = item.get("deadline_days_before")
        values = {
            "quartier_id": quartiers[item["quartier"]].id, "kind": item["kind"],
            "title": item["title"], "easy_read": item.get("easy_read", ""),
            "description": item.get("description", ""), "starts_at": starts,
            "ends_at": datetime.combine(day, end_time, tzinfo=clock.PARIS),
            "place_name": item["place"], "address": item.get("address", ""),
            "latitude": item.get("lat"), "longitude": item.get("lon"),
            "accessibility": list(item.get("accessibility") or ()),
            "organiser": item.get("organiser", ""),
            "status": EventStatus(item.get("status", "scheduled")),
            "change_note": item.get("change_note", ""), "sequence": 0,
            "registration": bool(item.get("capacity")), "capacity": item.get("capacity"),
            "registration_deadline": (starts - timedelta(days=deadline_days)
                                      if deadline_days is not None else None),
            "attendance": item.get("attendance"), "report": item.get("report", ""),
            "demo": bool(data.get("demo")),
            "translations": {
                lang: {k: v for k, v in (fields or {}).items() if k in FIELDS}
                for lang, fields in _strip_lines(item.get("translations") or {}).items()},
        }
        # The day of loading is part of the source: reloaded another day, dates move on.
        upsert(Event, {"slug": item["slug"]}, values, {"item": source, "today": str(today)},
               report, "events", path)
