"""Loads content/quartiers/*.md (front matter + French body)."""

from pathlib import Path

from ..content import Report, parse_translations, read_front_matter, require, upsert
from ..quartiers import Quartier


def load_quartiers(root: Path, report: Report) -> None:
    seen: dict[str, Path] = {}
    for path in sorted((root / "quartiers").glob("*.md")):
        parsed = read_front_matter(path, report)
        if parsed is None:
            continue
        meta, body = parsed
        if not require(meta, ("slug", "name", "summary"), path, report):
            continue
        slug = str(meta["slug"])
        if slug in seen:
            report.error(path, None, f"slug {slug!r} is already used by {seen[slug].name}")
            continue
        seen[slug] = path
        order = meta.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            report.error(path, None, f"order {order!r} must be a whole number (1, 2...)")
            continue
        figures = meta.get("figures") or []
        if not isinstance(figures, list) or not all(
            isinstance(f, dict) and f.get("value") and f.get("label") for f in figures
        ):
            report.error(path, None, "figures must be a list of {value, label}")
            continue
        center = meta.get("center")
        if center is not None and not _valid_point(center):
            report.error(path, None, "center must be [latitude, longitude] in degrees")
            continue
        problems: list[str] = []
        translations = parse_translations(meta.get("translations"), None, "translations", problems)
        for problem in problems:
            report.error(path, None, problem)
        if problems:
            continue
        values = {
            "name": str(meta["name"]), "position": order,
            "summary": str(meta["summary"]).strip(), "body": body,
            "figures": [{"value": str(f["value"]), "label": str(f["label"])} for f in figures],
            "latitude": center[0] if center else None, "longitude": center[1] if center else None,
            "translations": translations,
        }
        upsert(Quartier, {"slug": slug}, values, [meta, body], report, "quartiers",
               path=path)


def _valid_point(value) -> bool:
    return (
        isinstance(value, list) and len(value) == 2
        and all(isinstance(v, int | float) for v in value)
        and -90 <= value[0] <= 90 and -180 <= value[1] <= 180
    )
