"""Loads content/school_holidays.yaml and content/mobile_house.yaml (the visits schedule).

Every problem is reported with the file, the line of the entry and what is wrong; a
cancellation must name a day on which the visit really takes place.
"""

from pathlib import Path

import yaml

from ..content import Report, fingerprint, upsert, withdraw_missing
from ..extensions import db
from ..publication import PublicationStatus
from ..quartiers import Quartier
from . import recurrence
from .models import SchoolHoliday, Visit, VisitCancellation
from .schedule import ScheduleError, parse_holidays, parse_visit

SCHEDULE_FILE = "mobile_house.yaml"
HOLIDAYS_FILE = "school_holidays.yaml"
LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line where each mapping starts, to point at errors."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def _read(path: Path, report: Report):
    if not path.exists():
        return None
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, None, f"unreadable file ({exc})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.error(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}")
    except (ValueError, TypeError) as exc:  # YAML that reads as an impossible date...
        report.error(path, None, f"invalid value: {exc}")
    return None


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_mobile_house(root: Path, report: Report) -> None:
    holidays = _load_holidays(root / HOLIDAYS_FILE, report)
    path = root / SCHEDULE_FILE
    data = _read(path, report)
    if data is None:
        return
    entries = data.get("visits") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        report.error(path, 1, "the file needs a 'visits:' list")
        return
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    seen = set()
    for index, entry in enumerate(entries):
        line = entry.get(LINE) if isinstance(entry, dict) else None
        try:
            row = parse_visit(_strip_lines(entry), index, set(quartiers))
            if row["slug"] in seen:
                raise ScheduleError(f"visits[{index}] ({row['slug']})", "slug used twice")
            seen.add(row["slug"])
            _check_cancellations(row, holidays)
        except ScheduleError as exc:
            report.error(path, line, str(exc))
            continue
        except (ValueError, TypeError) as exc:  # a value of an unexpected type: still named
            report.error(path, line, f"visits[{index}]: invalid value ({exc})")
            continue
        cancellations = row.pop("cancellations")
        row["quartier"] = quartiers[row.pop("quartier")]
        row["publication_status"] = PublicationStatus.PUBLISHED
        slug, source = row.pop("slug"), _strip_lines(entry)
        before = db.session.scalar(db.select(Visit.content_hash).filter_by(slug=slug))
        visit = upsert(Visit, {"slug": slug}, row, source, report, "visits", path=path)
        if before != fingerprint(source):  # unchanged file: keep back-office edits
            _sync_cancellations(visit, cancellations)
    withdraw_missing(Visit, ("slug",), report, "visits")


def _load_holidays(path: Path, report: Report) -> list:
    data = _read(path, report)
    if data is None:
        return list(db.session.scalars(db.select(SchoolHoliday)))
    try:
        rows = parse_holidays(_strip_lines(data), path.name)
    except ScheduleError as exc:
        report.error(path, None, str(exc))
        return []
    for row in rows:
        upsert(SchoolHoliday, {"zone": row.pop("zone"), "first_day": row.pop("first_day")},
               row, [row, path.name], report, "school holidays")
    withdraw_missing(SchoolHoliday, ("first_day", "zone"), report, "school holidays")
    db.session.flush()
    return list(db.session.scalars(db.select(SchoolHoliday)))


class _Plan:
    """The fields of a parsed entry, shaped like a Visit for the recurrence functions."""

    def __init__(self, row: dict):
        self.__dict__.update(row)


def _check_cancellations(row: dict, holidays: list) -> None:
    plan = _Plan(row)
    happening = {s.date() for s in recurrence.planned_starts(plan)} - {
        s.date() for s in recurrence.excluded_starts(plan, holidays)
    }
    for c in row["cancellations"]:
        if c["occurs_on"] not in happening:
            raise ScheduleError(
                f"visits ({row['slug']})",
                f"cancellation on {c['occurs_on']}: the visit does not take place that day",
            )


def _sync_cancellations(visit: Visit, wanted: list[dict]) -> None:
    """Update cancellations in place by day (replacing them would break the unique key)."""
    by_day = {c["occurs_on"]: c for c in wanted}
    for existing in list(visit.cancellations):
        if existing.occurs_on not in by_day:
            visit.cancellations.remove(existing)
    have = {c.occurs_on: c for c in visit.cancellations}
    for day, fields in by_day.items():
        row = have.get(day)
        if row is None:
            visit.cancellations.append(VisitCancellation(**fields))
        elif (row.reason, row.translations) != (fields["reason"], fields["translations"]):
            row.reason, row.translations = fields["reason"], fields["translations"]
