"""Loads content/contributions.yaml: demonstration contributions (marked as such) whose dates
are given in days before the day of loading (`days_ago: 12`), in every state, with their
timeline and official answers. Problems are reported with the file, the line and what."""

from datetime import datetime, time, timedelta
from pathlib import Path

from .. import clock
from ..content import Report, upsert
from ..extensions import db
from ..mobile_house.loader import LINE, _read, _strip_lines
from ..publication import PublicationStatus
from ..quartiers import Quartier
from . import screening
from .models import Contribution, ContributionUpdate, Kind, Status
from .texts import CATEGORIES, PARTNERS, PLACES

FILE = "contributions.yaml"


def _at(days_ago) -> datetime:
    day = clock.today() - timedelta(days=int(days_ago))
    return datetime.combine(day, time(10, 0), tzinfo=clock.PARIS)


def _problems(item: dict, quartiers: dict) -> list[str]:
    problems = [f"missing {key!r}" for key in ("slug", "quartier", "kind", "text", "place",
                                               "days_ago") if key not in item]
    if item.get("quartier") not in quartiers:
        problems.append(f"unknown quartier {item.get('quartier')!r}")
    if item.get("kind") not in {k.value for k in Kind}:
        problems.append(f"unknown kind {item.get('kind')!r}")
    if item.get("category") and item["category"] not in CATEGORIES:
        problems.append(f"unknown category {item['category']!r}")
    if item.get("place") not in PLACES or PLACES[item["place"]][0] != item.get("quartier"):
        problems.append(f"unknown place {item.get('place')!r} in this quartier")
    if item.get("publication", "published") not in {s.value for s in PublicationStatus}:
        problems.append(f"unknown publication {item.get('publication')!r}")
    for step in item.get("steps") or ():
        if step.get("status") not in {s.value for s in Status}:
            problems.append(f"unknown step status {step.get('status')!r}")
        if step.get("partner") and step["partner"] not in PARTNERS:
            problems.append(f"unknown partner {step['partner']!r}")
    return problems


def load_contributions(root: Path, report: Report) -> None:
    path = root / FILE
    data = _read(path, report)
    if data is None:
        return
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    for item in data.get("contributions") or ():
        problems = _problems(item, quartiers)
        if problems:
            for problem in problems:
                report.error(path, item.get(LINE), problem)
            continue
        source = _strip_lines(item)
        steps = [{"status": "received", "days_ago": item["days_ago"]},
                 *(item.get("steps") or ())]
        last = steps[-1]
        status = Status(last["status"])
        _slug, _name, lat, lon = PLACES[item["place"]]
        values = {
            "quartier_id": quartiers[item["quartier"]].id, "kind": Kind(item["kind"]),
            "category": item.get("category", ""), "text": item["text"].strip(),
            "place": item["place"], "latitude": lat, "longitude": lon, "status": status,
            "partner": next((s.get("partner") for s in reversed(steps) if s.get("partner")), ""),
            "answer": item.get("answer", "").strip(),
            "answered_at": _at(item.get("answer_days_ago", last["days_ago"]))
            if item.get("answer") else None,
            "first_answered_at": _at(item.get("answer_days_ago", last["days_ago"]))
            if item.get("answer") else None,
            "submitted_at": _at(item["days_ago"]), "last_news_at": _at(last["days_ago"]),
            "closed_at": _at(last["days_ago"]) if status in (Status.RESOLVED,
                                                             Status.NOT_RETAINED) else None,
            "publication_status": PublicationStatus(item.get("publication", "published")),
            "decision_note": item.get("decision_note", ""), "demo": bool(data.get("demo")),
        }
        key = {"idempotency_key": f"demo-{item['slug']}"}
        before = db.session.scalar(db.select(Contribution.content_hash).filter_by(**key))
        row = upsert(Contribution, key, values, {"item": source, "today": str(clock.today())},
                     report, "contributions", path)
        if row.content_hash != before:  # written: its timeline follows the file
            row.updates = [ContributionUpdate(status=Status(s["status"]),
                                              partner=s.get("partner", ""),
                                              note=s.get("note", ""), at=_at(s["days_ago"]))
                           for s in steps]
            db.session.flush()  # its id first: its own text is not "another" one
            screening.screen(row)
    db.session.flush()
