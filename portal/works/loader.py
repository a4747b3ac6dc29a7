"""Loads content/works.geojson: an RFC 7946 FeatureCollection, one Feature per works site.

Properties are English snake_case, French text, and a `translations` object ({"en": {...},
"ar": {...}}) for the text fields; `updates` is the site's dated timeline. Each problem is
reported with the feature's index (and slug when there is one), so an editor finds it.
"""

import json
from datetime import date
from pathlib import Path

from .. import geo, phones, strict_json
from ..calendar import EARLIEST_DATE, LATEST_DATE, date_in_range
from ..content import Report, fingerprint, parse_translations, upsert, withdraw_missing
from ..extensions import db
from ..quartiers import Quartier
from ..slugs import SLUG
from .models import WorksKind, WorksSite, WorksStatus, WorksUpdate

FILENAME = "works.geojson"
REQUIRED = ("slug", "title", "quartier", "kind", "status", "owner", "summary")
TEXT_FIELDS = ("summary", "description", "address", "nuisances", "contact_name",
               "contact_email", "contact_phone", "insertion_contact")
TRANSLATED = ("title", "summary", "description", "nuisances", "insertion_contact")
DATES = ("planned_start", "planned_end", "actual_start", "actual_end", "nuisances_until")
COUNTS = ("homes_concerned", "insertion_jobs", "insertion_hours")


def load_works(root: Path, report: Report) -> None:
    path = root / FILENAME
    if not path.exists():
        return
    collection = _read(path, report)
    if collection is None:
        return
    demo = bool((collection.get("metadata") or {}).get("demo"))
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    seen: set[str] = set()
    for index, item in enumerate(collection["features"]):
        slug = (item.get("properties") or {}).get("slug") if isinstance(item, dict) else None
        where = f"feature {index}" + (f" ({slug})" if slug else "")
        problems: list[str] = []
        values = parse_feature(item, quartiers, problems)
        if values is not None and values["slug"] in seen:
            problems.append(f"slug {slug!r} is used by an earlier feature")
        for problem in problems:
            report.error(path, None, f"{where}: {problem}")
        if problems or values is None:
            continue
        seen.add(values["slug"])
        values["demo"] = values["demo"] or demo
        updates, slug = values.pop("updates"), values.pop("slug")
        previous = db.session.scalar(db.select(WorksSite.content_hash).filter_by(slug=slug))
        site = upsert(WorksSite, {"slug": slug}, values, item, report, "works", path=path)
        if previous != fingerprint(item):  # new or changed: its timeline is the file's
            site.updates = [WorksUpdate(**update) for update in updates]
    withdraw_missing(WorksSite, ("slug",), report, "works")


def _read(path: Path, report: Report) -> dict | None:
    try:
        collection = strict_json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, None, f"unreadable file ({exc})")
        return None
    except json.JSONDecodeError as exc:
        report.error(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
        return None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        report.error(path, None, 'the file must be a GeoJSON "FeatureCollection"')
        return None
    if not isinstance(collection.get("features"), list):
        report.error(path, None, '"features" must be a list of Feature objects')
        return None
    return collection


def parse_feature(item, quartiers: dict, problems: list[str]) -> dict | None:
    """The WorksSite values of one Feature, or None with `problems` saying what is wrong."""
    if not isinstance(item, dict) or item.get("type") != "Feature":
        problems.append('must be an object with "type": "Feature"')
        return None
    props = item.get("properties")
    if not isinstance(props, dict):
        problems.append('"properties" must be an object')
        return None
    try:
        geo.validate_geometry(item.get("geometry"), bounds=geo.ROUBAIX_BOUNDS)
    except geo.GeometryError as exc:
        problems.append(f"invalid geometry: {exc}")
    missing = [key for key in REQUIRED if props.get(key) in (None, "")]
    if missing:
        problems.append("missing required propertie(s): " + ", ".join(missing))
        return None
    if not SLUG.match(str(props["slug"])):
        problems.append(f"slug {props['slug']!r} must be lowercase words joined by '-'")
    if not isinstance(props["quartier"], str) or props["quartier"] not in quartiers:
        problems.append(f"unknown quartier {props['quartier']!r} (one slug, for example alma)")
    kind = _choice(WorksKind, props["kind"], "kind", problems)
    status = _choice(WorksStatus, props["status"], "status", problems)
    dates = {key: _date(props.get(key), key, problems) for key in DATES}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if dates[start] and dates[end] and dates[end] < dates[start]:
            problems.append(f"{end} ({dates[end]}) is before {start} ({dates[start]})")
    counts = {key: _count(props.get(key), key, problems) for key in COUNTS}
    translations = parse_translations(props.get("translations"), TRANSLATED, "translations",
                                      problems)
    updates = _updates(props.get("updates"), problems)
    phone_problem = phones.problem(str(props.get("contact_phone") or ""))
    if phone_problem:
        problems.append(f"contact_phone: {phone_problem}")
    if problems:
        return None
    lat, lon = geo.label_point(item["geometry"])
    return {
        "slug": props["slug"], "title": str(props["title"]).strip(),
        "quartier": quartiers[props["quartier"]], "kind": kind, "status": status,
        "owner": str(props["owner"]).strip(),
        **{key: str(props.get(key) or "").strip() for key in TEXT_FIELDS},
        **dates, **counts, "geometry": item["geometry"], "latitude": lat, "longitude": lon,
        "translations": translations, "updates": updates, "demo": props.get("demo") is True,
    }


def _choice(enum_class, value, name: str, problems: list[str]):
    try:
        return enum_class(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_class)
        problems.append(f"{name} {value!r} is not one of: {allowed}")
        return None


def _date(value, name: str, problems: list[str]) -> date | None:
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{name} {value!r} is not a date (YYYY-MM-DD)")
        return None
    if not date_in_range(day):
        problems.append(f"{name} {day} is not between {EARLIEST_DATE} and {LATEST_DATE}")
        return None
    return day


def _count(value, name: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"{name} {value!r} must be a whole number, 0 or more")
        return None
    return value


def _updates(value, problems: list[str]) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append('updates must be a list of {"date": ..., "text": ...}')
        return []
    updates = []
    for number, update in enumerate(value):
        name = f"updates[{number}]"
        if not isinstance(update, dict) or not update.get("text") or not update.get("date"):
            problems.append(f"{name} needs a date and a text")
            continue
        published_on = _date(update["date"], f"{name}.date", problems)
        translations = parse_translations(
            update.get("translations"), ("text",), f"{name}.translations", problems
        )
        if published_on:
            updates.append({"published_on": published_on, "text": str(update["text"]).strip(),
                            "translations": translations})
    return updates
