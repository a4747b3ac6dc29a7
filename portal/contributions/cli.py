"""`flask contributions erase-contacts`: the daily retention command (the worker's cron);
`flask contributions screen`: the pre-moderation score of rows stored without one."""

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


@contributions_cli.command("screen")
@click.option("--batch", "size", default=500, show_default=True, type=click.IntRange(1, 10_000),
              help="Contributions par transaction.")
@click.option("--all", "every", is_flag=True,
              help="Recalculer aussi les scores déjà calculés (listes de mots changées).")
def screen(size: int, every: bool):
    """Compute the pre-moderation score of contributions stored without one, in batches
    (each batch its own transaction: the site keeps working, a stop loses one batch)."""
    from . import screening

    total = 0
    for step in (screening.hash_batch, screening.score_batch):
        after = 0
        # Without --all, the second pass finds what the first hashed: the score is still NULL.
        while ids := screening.backfill_ids(after, size, every=every):
            with unit_of_work():
                step(ids)
            after = ids[-1]
            if step is screening.score_batch:
                total += len(ids)
    click.echo(f"{total} contribution(s) notée(s).")
