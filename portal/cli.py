"""flask commands: load-content and the translation catalog tools."""

import sys

import click
from flask import Flask
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


def register_commands(app: Flask) -> None:
    from .catalog import translations_command

    app.cli.add_command(load_content_command)
    app.cli.add_command(translations_command)
