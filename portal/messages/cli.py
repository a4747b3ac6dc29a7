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


@group.command("digest")
@click.option("--staff", is_flag=True, help="The staff's daily digest of items to validate.")
def digest(staff: bool) -> None:
    """Residents' weekly digest (run once a week), or with --staff the daily one."""
    from ..transaction import unit_of_work

    if staff:
        from .staff import send_staff_digests

        with unit_of_work():
            count = send_staff_digests()
    else:
        from .digest import send_weekly_digest

        count = send_weekly_digest()
    click.echo(f"{count} digest(s) enqueued")


@group.command("purge")
def purge() -> None:
    """Forget personal data past its time (run daily): sent and dead messages, addresses
    never confirmed, staff items already told."""
    from ..transaction import unit_of_work
    from .retention import purge_personal_data

    with unit_of_work():
        counts = purge_personal_data()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))
