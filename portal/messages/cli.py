"""`flask messages work` (the worker loop, `--once` for cron), `flask messages digest`
(residents' weekly digest, `--staff` for the staff's daily one), `flask messages purge`
(retention of personal data)."""

import click
from flask.cli import AppGroup

group = AppGroup("messages", help="Outbox: send messages, digests, retention.")


@group.command("work")
@click.option("--once", is_flag=True, help="Send what is due now, then stop (for cron).")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between two looks.")
def work(once: bool, poll: float) -> None:
    """Send the outbox's due messages, with retries."""
    from . import worker

    if once:
        click.echo(f"{worker.deliver_all()} message(s) handled")
    else:
        worker.run(poll_seconds=poll)
