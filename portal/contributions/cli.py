"""`flask contributions erase-contacts`: the daily retention command (the worker's cron)."""

import click
from flask.cli import AppGroup

from ..transaction import unit_of_work

contributions_cli = AppGroup("contributions", help="Contributions des habitants.")


@contributions_cli.command("erase-contacts")
def erase_contacts():
    """Erase the contact details of contributions closed for RETENTION_DAYS."""
    from .editing import RETENTION_DAYS, erase_old_contacts

    with unit_of_work():
        count = erase_old_contacts()
    click.echo(f"{count} contact(s) effacé(s) ({RETENTION_DAYS} jours après la clôture).")
