"""Loads content/news/*.md: one article per file, French body, translations in front matter."""

from datetime import UTC, date, datetime, time
from pathlib import Path

from flask import current_app

from ..calendar import EARLIEST_DATE, LATEST_DATE, date_in_range
from ..clock import PARIS
from ..content import (
    Report,
    parse_translations,
    read_front_matter,
    require,
    slug_list,
    upsert,
    withdraw_missing,
)
from ..extensions import db
from ..publication import PublicationStatus
from ..quartiers import Quartier
from ..slugs import SLUG
from .models import NewsArticle

TRANSLATED_FIELDS = ("title", "summary", "easy_read", "body")


def load_news(root: Path, report: Report) -> None:
    folder = root / "news"
    if not folder.is_dir():
        return
    quartiers = {q.slug: q for q in db.session.scalars(db.select(Quartier))}
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        parsed = read_front_matter(path, report)
        if parsed is None:
            continue
        meta, body = parsed
        values = _article_values(meta, body, quartiers, path, report)
        if values is None:
            continue
        image = values["image_path"]
        if image and not any((Path(folder) / image).is_file() for folder in (
                root / "media", current_app.config["MEDIA_DIR"])):
            report.error(path, None, f"image file {image!r} is not in content/media/")
            continue
        slug = meta["slug"]
        if slug in seen:
            report.error(path, None, f"slug {slug!r} is already used by {seen[slug].name}")
            continue
        seen[slug] = path
        upsert(NewsArticle, {"slug": slug}, values, [meta, body], report, "news",
               path=path)
    withdraw_missing(NewsArticle, ("slug",), report, "news")


def _article_values(meta, body, quartiers, path, report) -> dict | None:
    if not require(meta, ("slug", "title", "published", "summary"), path, report):
        return None
    problems = []
    if not SLUG.match(str(meta["slug"])):
        problems.append(f"slug {meta['slug']!r} must be lowercase words joined by '-'")
    published = meta["published"]
    if not isinstance(published, date):
        problems.append(f"published {published!r} is not a date (YYYY-MM-DD)")
    elif not date_in_range(published if not isinstance(published, datetime)
                           else published.date()):
        # Year 1 at midnight, moved to UTC, falls before the calendar's first day.
        problems.append(f"published {published} is not between {EARLIEST_DATE} and "
                        f"{LATEST_DATE}")
    wanted = slug_list(meta.get("quartiers"), "quartiers", problems)
    unknown = [slug for slug in wanted if slug not in quartiers]
    if unknown:
        problems.append("unknown quartier(s): " + ", ".join(map(str, unknown)))
    image = meta.get("image")
    if image and not (isinstance(image, dict) and image.get("file") and image.get("alt")):
        problems.append("image needs both 'file' and 'alt' (a text alternative is required)")
    translations = parse_translations(meta.get("translations"), TRANSLATED_FIELDS,
                                      "translations", problems)
    for problem in problems:
        report.error(path, None, problem)
    if problems:
        return None
    if not isinstance(published, datetime):
        published = datetime.combine(published, time(9, 0), PARIS)
    return {
        "title": str(meta["title"]), "summary": str(meta["summary"]).strip(),
        "easy_read": str(meta.get("easy_read") or "").strip(), "body": body,
        "image_path": image["file"] if image else None, "image_alt": image["alt"] if image else "",
        "publication_status": PublicationStatus.PUBLISHED,
        "published_at": published.astimezone(UTC),
        "quartiers": [quartiers[slug] for slug in wanted],
        "translations": translations,
    }
