"""`flask consultations-purge`: the worker deletes abuse-check data (address hashes) a set
time after each campaign closes (CONSULTATION_PERSONAL_DATA_DAYS, 90 by default)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..transaction import unit_of_work


@click.command("consultations-purge")
@with_appcontext
def purge_command():
    """Delete the personal data of campaigns closed long enough ago."""
    from .editing import purge_personal_data

    days = int(current_app.config["CONSULTATION_PERSONAL_DATA_DAYS"])
    with unit_of_work():
        removed = purge_personal_data(days)
    click.echo(f"{removed} abuse-check row(s) deleted (campaigns closed over {days} days ago).")


def register(app) -> None:
    app.cli.add_command(purge_command)
