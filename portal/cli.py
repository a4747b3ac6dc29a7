"""flask commands: load-content, backup and the translation catalog tools."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .content import ContentErrors, load_content


@click.command("load-content")
@click.option("--path", type=click.Path(exists=True, file_okay=False), default=None,
              help="Content folder (default: CONTENT_DIR, i.e. content/).")
@with_appcontext
def load_content_command(path):
    """Load content/ into the database (idempotent; all or nothing)."""
    try:
        report = load_content(path)
    except ContentErrors as exc:
        click.echo(f"Content not loaded: {len(exc.errors)} problem(s), nothing was written.",
                   err=True)
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    for line in report.summary() or ["nothing to load"]:
        click.echo(line)


@click.group("backup")
def backup_command():
    """Back up or restore the database and the media folder (README, Production)."""


def _database_url() -> str:
    from .extensions import db

    return db.engine.url.render_as_string(hide_password=False)


@backup_command.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_create(folder):
    """Write a backup into FOLDER (new or empty), safe while the site runs."""
    from . import backup

    try:
        report = backup.create(folder, _database_url(), current_app.config["MEDIA_DIR"])
    except backup.BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        sys.exit(1)
    click.echo("Backup written: " + "; ".join(report.summary()))


@backup_command.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def backup_restore(folder):
    """Restore FOLDER into the (empty) database and media folder the settings name."""
    from . import backup
    from .readiness import code_heads, known_revisions

    try:
        report = backup.restore(folder, _database_url(), current_app.config["MEDIA_DIR"],
                                known_revisions())
    except backup.BackupError as exc:
        click.echo(f"Nothing restored: {exc}", err=True)
        sys.exit(1)
    click.echo("Restored: " + "; ".join(report.summary()))
    if set(report.manifest["alembic_revision"]) != set(code_heads()):
        click.echo("The backup is older than the code: run `flask --app wsgi db upgrade` now.")


def register_commands(app: Flask) -> None:
    from .catalog import translations_command

    app.cli.add_command(load_content_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(translations_command)
