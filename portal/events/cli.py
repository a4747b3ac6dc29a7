"""`flask events forget-contacts`: the daily retention command (the worker runs it)."""

import click
from flask.cli import AppGroup

from ..transaction import unit_of_work
from . import registrations

events_cli = AppGroup("events", help="Rendez-vous.")


@events_cli.command("remind")
def remind_command():
    """Enqueue the reminder of tomorrow's rendez-vous to everyone registered (daily; a
    second run the same day sends nothing more)."""
    with unit_of_work():
        count = registrations.remind_tomorrow()
    click.echo(f"{count} reminder(s) enqueued")


@events_cli.command("forget-contacts")
def forget_contacts_command():
    """Delete registrants' contact details 30 days after their event (counts are kept)."""
    with unit_of_work():
        count = registrations.erase_old_contacts()
    click.echo(f"{count} registration(s) without contact details now")
