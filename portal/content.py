"""Loads the editorial files of content/ into the database, idempotently and all-or-nothing.

Each domain registers its loader in its init_app (`registry.add_loader`); load_content() runs
them in order inside one transaction. Loaders report problems as ContentError(path, line,
message) and go on, so that one run lists every problem; if there is any, everything is rolled
back and nothing is half-written.
Rows are upserted by their stable key and remember the hash of their source: reloading an
unchanged file changes nothing (and keeps edits made since in the back office). A row born from
a file that is gone from a source read in full (the news folder, works.geojson...) is removed
(`withdraw_missing`); rows created in the back office have no hash and are never touched.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app

from . import registry
from .extensions import db
from .languages import TRANSLATED_LANGUAGES
from .publication import Publication, PublicationStatus
from .sanitize import render_stored
from .transaction import unit_of_work


class ContentError(Exception):
    def __init__(self, path: Path | str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = str(path), line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentErrors(Exception):
    """Raised by load_content() when any file has a problem; nothing was written."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Report:
    root: Path
    counts: Counter = field(default_factory=Counter)
    errors: list[ContentError] = field(default_factory=list)
    # The keys upserted in this run, per model: what withdraw_missing() keeps.
    loaded: dict = field(default_factory=dict)

    def error(self, path, line, message) -> None:
        self.errors.append(ContentError(self._relative(path), line, message))

    def count(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def _relative(self, path) -> str:
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    def summary(self) -> list[str]:
        kinds = sorted({kind for kind, _ in self.counts})
        return [
            f"{kind}: " + ", ".join(
                f"{self.counts[(kind, outcome)]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "removed")
                if self.counts[(kind, outcome)]
            )
            for kind in kinds
        ]


def load_content(root: Path | str | None = None) -> Report:
    root = Path(root or current_app.config["CONTENT_DIR"])
    report = Report(root)
    with unit_of_work():  # the whole load, or nothing of it
        for item in registry.of().ordered_loaders():
            item.load(root, report)
            db.session.flush()  # later loaders look up rows created by earlier ones
        if report.errors:
            raise ContentErrors(report.errors)
    return report


def read_front_matter(path: Path, report: Report) -> tuple[dict, str] | None:
    """Split a Markdown file into its YAML front matter and body; None (reported) if broken."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, None, f"unreadable file ({exc})")
        return None
    if not text.startswith("---\n"):
        report.error(path, 1, "the file must start with a front matter block between '---' lines")
        return None
    end = text.find("\n---", 4)
    if end == -1:
        report.error(path, 1, "the front matter block is not closed by a '---' line")
        return None
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else None  # +1 for 0-based, +1 for the opening '---'
        report.error(path, line, f"invalid YAML: {getattr(exc, 'problem', exc)}")
        return None
    except (ValueError, TypeError) as exc:  # YAML that reads as an impossible date...
        report.error(path, None, f"invalid value in the front matter: {exc}")
        return None
    if not isinstance(meta, dict):
        report.error(path, 2, "the front matter must be a mapping of 'key: value' lines")
        return None
    body = text[end + 4:].split("\n", 1)[1] if "\n" in text[end + 4:] else ""
    return meta, body.strip()


def parse_translations(value, fields: tuple[str, ...] | None, name: str,
                       problems: list[str]) -> dict:
    """A `translations` block: {"en": {field: text}, "ar": {...}}, texts stripped, only `fields`
    kept (all when None). Anything else is a problem (a page must never meet it)."""
    if value is None:
        return {}
    others = set(TRANSLATED_LANGUAGES)
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        problems.append(f'{name} must map a language to its fields: {{"en": {{"title": ...}}}}')
        return {}
    unknown = sorted(str(lang) for lang in value if lang not in others)
    if unknown:
        problems.append(f"{name}: unknown language(s) {', '.join(unknown)} "
                        f"(expected {', '.join(sorted(others))})")
        return {}
    return {
        lang: {key: _text(text) for key, text in texts.items()
               if (fields is None or key in fields) and text}
        for lang, texts in value.items()
    }


def _text(value):
    if isinstance(value, list):  # translated labels of a list (a quartier's key figures)
        return [str(item).strip() for item in value]
    return str(value).strip()


def slug_list(value, name: str, problems: list[str]) -> list[str]:
    """A list of slugs (one slug alone is a list of one)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    problems.append(f"{name} must be a list of slugs, for example [alma, pile]")
    return []


def require(meta: dict, keys: tuple[str, ...], path: Path, report: Report) -> bool:
    missing = [key for key in keys if meta.get(key) in (None, "")]
    if missing:
        report.error(path, None, "missing required field(s): " + ", ".join(missing))
    return not missing


def fingerprint(data) -> str:
    # A hash, never written out: plain json.dumps, so that a .nan in a YAML file is still
    # hashed and then reported by its loader rather than crashing here.
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# What a loader reports for a text holding NUL (upsert, and loaders that write themselves).
NUL_PROBLEM = ("a text holds a NUL character (\\0 or \\u0000), which cannot be stored: "
               "remove it")


def upsert(model, key: dict, values: dict, source, report: Report, kind: str, path=None):
    """Create or update the row of `model` matching `key` with `values`; when the `source`
    data (what was read from the file at `path`) is unchanged since the last load, write
    nothing. A row created in the back office is never overwritten: that is reported. The
    Markdown fields of a row written are rendered here (sanitize.render_stored)."""
    if holds_nul(values):
        # PostgreSQL cannot store it (SQLite would): a problem of the file, never a crash at
        # the flush. The values go on without it; the load is rolled back for the error.
        report.error(path or report.root, None, f"{kind}: {_key_text(key)}: {NUL_PROBLEM}")
        values = _without_nul(values)
    digest = fingerprint(source)
    report.loaded.setdefault(model, set()).add(tuple(sorted(key.items())))
    row = db.session.execute(db.select(model).filter_by(**key)).scalar_one_or_none()
    if row is None:
        row = model(**key)
        if isinstance(row, Publication):  # files are reviewed before they land: published
            row.publication_status = PublicationStatus.PUBLISHED
        db.session.add(row)
        outcome = "created"
    elif row.content_hash is None:
        # Created in the back office: a file never overwrites it.
        report.error(path or report.root, None,
                     f"{kind}: {_key_text(key)} is already used by an item created in the back "
                     "office; give the file another one")
        return row
    elif row.content_hash == digest:
        report.count(kind, "unchanged")
        return row
    else:
        outcome = "updated"
    for name, value in values.items():
        setattr(row, name, value)
    if hasattr(model, "markdown_fields"):  # rendered once here, never per page view
        render_stored(row)
    row.content_hash = digest
    report.count(kind, outcome)
    return row


def holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(v) for v in value)
    return value


def _key_text(key: dict) -> str:
    return ", ".join(f"{name} {value!r}" for name, value in key.items())


def withdraw_missing(model, key_names: tuple[str, ...], report: Report, kind: str) -> None:
    """Delete the rows of `model` an earlier load created from a file (they carry its hash)
    that this run did not load: their file or entry was removed. Call it only after reading a
    source in full (never when the folder or file is absent: a wrong CONTENT_DIR must not
    empty the site), and only for models whose rows come from content/ alone."""
    loaded = report.loaded.get(model, set())
    for row in db.session.scalars(db.select(model).where(model.content_hash.is_not(None))):
        if tuple(sorted((name, getattr(row, name)) for name in key_names)) not in loaded:
            db.session.delete(row)
            report.count(kind, "removed")
