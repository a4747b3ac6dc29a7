"""A content/ folder N times the demonstration one, for the 100x benchmark and the bound tests.

Every file keeps the shape the loaders read (Markdown with front matter, GeoJSON, the Maison
Mobile YAML, data·inclusion JSON), so the data goes in through `load_content()` as an editor's
would. At factor 100 it holds what issue 13 measured: 1,000 news, 1,700 works sites with 3,783
updates, 800 Maison Mobile series with 266 cancellations, 2,000 structures, 3,500 services.
"""

import copy
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

# Per copy beyond the demonstration's own: issue 13's data set had these many more.
EXTRA_UPDATES_PER_COPY = 16.83  # 3,783 updates for 1,700 sites (2,100 come from the copies)
EXTRA_CANCELLATIONS_PER_COPY = 0.66  # 266 cancellations for 800 series (200 copied)
EXTRA_CANCELLED_SERIES = "alma-mardi"  # every Tuesday, no school-holiday gaps
EXTRA_CANCELLATION_DAY = date(2026, 12, 8)  # a Tuesday the series takes place


KINDS = ("news", "works", "visits", "services", "participation")
# Copied as they are: participation.py adds their volumes with their domains' generators.
PARTICIPATION = ("consultations", "events.yaml", "contributions.yaml")


def write_scaled_content(source: Path, target: Path, factor: int, kinds=KINDS) -> Path:
    """Write `factor` copies of each item of `source` (a content/ folder) under `target`;
    `kinds` chooses which of news, works, visits, services and participation (consultations,
    rendez-vous and contributions, copied once) are written (quartiers always)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("quartiers", "media"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
    shutil.copy(source / "school_holidays.yaml", target / "school_holidays.yaml")
    if "news" in kinds:
        _news(source / "news", target / "news", factor)
    if "works" in kinds:
        _works(source / "works.geojson", target / "works.geojson", factor)
    if "visits" in kinds:
        _visits(source / "mobile_house.yaml", target / "mobile_house.yaml", factor)
    if "services" in kinds:
        _services(source / "services", target / "services", factor)
    if "participation" in kinds:
        for name in PARTICIPATION:
            if (source / name).is_dir():
                shutil.copytree(source / name, target / name, dirs_exist_ok=True)
            elif (source / name).exists():
                shutil.copy(source / name, target / name)
    return target


def _suffix(value: str, copy_index: int) -> str:
    return value if copy_index == 0 else f"{value}-x{copy_index}"


def _news(source: Path, target: Path, factor: int) -> None:
    target.mkdir(exist_ok=True)
    for path in sorted(source.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        published = date.fromisoformat(re.search(r"^published: (\S+)$", text, re.M).group(1))
        for i in range(factor):
            slug = _suffix(path.stem, i)
            # One article a day further back per copy: the list's order is not all ties.
            day = published - timedelta(days=i)
            body = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.M)
            body = re.sub(r"^published: .*$", f"published: {day.isoformat()}", body, count=1,
                          flags=re.M)
            (target / f"{slug}.md").write_text(body, encoding="utf-8")


def _works(source: Path, target: Path, factor: int) -> None:
    document = json.loads(source.read_text(encoding="utf-8"))
    features, extra = [], round(EXTRA_UPDATES_PER_COPY * factor)
    for i in range(factor):
        for feature in document["features"]:
            item = copy.deepcopy(feature)
            props = item["properties"]
            props["slug"] = _suffix(props["slug"], i)
            if i:
                props["title"] = f"{props['title']} ({i + 1})"
                _shift(item["geometry"], i)
                if extra > 0:
                    extra -= 1
                    props.setdefault("updates", []).append(
                        {"date": "2026-10-15", "text": f"Point d'étape n° {i + 1}."})
            features.append(item)
    document["features"] = features
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _shift(geometry: dict, i: int) -> None:
    """Move a copy a few metres, so copies do not sit on one another on the map."""
    dx, dy = ((i % 10) - 5) * 0.0004, ((i // 10) % 10 - 5) * 0.0003

    def move(coordinates):
        if isinstance(coordinates[0], (int, float)):
            return [round(coordinates[0] + dx, 6), round(coordinates[1] + dy, 6)]
        return [move(c) for c in coordinates]

    geometry["coordinates"] = move(geometry["coordinates"])


def _visits(source: Path, target: Path, factor: int) -> None:
    text = source.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    visits, extra = [], round(EXTRA_CANCELLATIONS_PER_COPY * factor)
    for i in range(factor):
        for visit in document["visits"]:
            item = copy.deepcopy(visit)
            slug = item["slug"]
            item["slug"] = _suffix(slug, i)
            if i and slug == EXTRA_CANCELLED_SERIES and extra > 0:
                extra -= 1
                item.setdefault("cancellations", []).append(
                    {"date": EXTRA_CANCELLATION_DAY, "reason": "L'équipe est en formation."})
            visits.append(item)
    document["visits"] = visits
    target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")


def _services(source: Path, target: Path, factor: int) -> None:
    target.mkdir(exist_ok=True)
    structures = json.loads((source / "structures.json").read_text(encoding="utf-8"))
    services = json.loads((source / "services.json").read_text(encoding="utf-8"))
    out_structures, out_services = [], []
    for i in range(factor):
        for record in structures:
            item = dict(record, id=_suffix(record["id"], i))
            if i:
                item["nom"] = f"{record['nom']} ({i + 1})"
            out_structures.append(item)
        for record in services:
            out_services.append(dict(record, id=_suffix(record["id"], i),
                                     structure_id=_suffix(record["structure_id"], i)))
    for name, records in (("structures.json", out_structures), ("services.json", out_services)):
        (target / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
