"""Loads content/services/{structures,services}.json (the demonstration offer) with load-content,
and provides `flask import-data-inclusion FILE...` for files from data·inclusion, DORA, etc."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import strict_json
from ..content import Report
from ..transaction import unit_of_work
from .schema import import_records, refresh_search_texts, split_document

FILES = ("structures.json", "services.json")


def read_json(path: Path, report: Report):
    try:
        return strict_json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, None, f"unreadable file ({exc})")
    except json.JSONDecodeError as exc:
        report.error(path, exc.lineno, f"invalid JSON: {exc.msg}")
    return None


def load_services(root: Path, report: Report) -> None:
    """Strict, like every content file: one invalid record and load_content writes nothing."""
    structures, services = [], []
    for name in FILES:
        path = root / "services" / name
        if not path.exists():
            continue
        parts = split_document(read_json(path, report))
        if parts is None:
            if not any(e.path.endswith(name) for e in report.errors):
                report.error(path, None, "expected a JSON list of data·inclusion records")
            continue
        structures += parts[0]
        services += parts[1]
    result = import_records(structures, services, report, strict=True)
    for problem in result.problems:
        report.error(root / "services", None, str(problem))
    refresh_search_texts(report)  # also back-office and imported rows (README)


@click.command("import-data-inclusion")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True,
              help="Reject everything when any record is invalid (default: skip invalid ones).")
@with_appcontext
def import_command(files, strict):
    """Import data·inclusion v1 structures and services from JSON FILES (upsert by id).

    Every record is validated with the data-inclusion-schema package. Invalid records are
    listed with their id and the schema's message and skipped (or, with --strict, nothing is
    written). The whole import is one transaction: never half-written."""
    report = Report(Path.cwd())
    structures, services = [], []
    for path in files:
        parts = split_document(read_json(path, report))
        if parts is None:
            if not report.errors:
                report.error(path, None, "expected a JSON list of data·inclusion records")
            continue
        structures += parts[0]
        services += parts[1]
    if report.errors:
        for error in report.errors:
            click.echo(str(error), err=True)
        click.echo("Nothing imported.", err=True)
        sys.exit(1)
    # One transaction: sys.exit (SystemExit) inside the block rolls everything back.
    with unit_of_work():
        result = import_records(structures, services, report, strict=strict)
        if report.errors:  # ids already used by records created in the back office
            for error in report.errors:
                click.echo(str(error), err=True)
            click.echo("Nothing imported.", err=True)
            sys.exit(1)
        for problem in result.problems:
            click.echo(f"invalid {problem}", err=True)
        if strict and result.problems:
            click.echo(f"{len(result.problems)} problem(s): nothing imported (--strict).",
                       err=True)
            sys.exit(1)
    for line in report.summary() or ["nothing to import"]:
        click.echo(line)
    if result.problems:
        skipped = len({(p.kind, p.id) for p in result.problems})
        click.echo(f"{skipped} invalid record(s) skipped.", err=True)
