"""`flask create-user`: the first admin account (and others, from a terminal)."""

import sys

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..transaction import unit_of_work
from .auth import find_user
from .forms import MIN_PASSWORD
from .models import Role


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="admin",
              show_default=True)
@click.option("--name", default="")
@click.option("--quartier", "quartiers", multiple=True, help="Slug; repeat for a team account.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user_command(email, role, name, quartiers, password):
    """Create a back-office account."""
    from ..quartiers import Quartier
    from .accounts import create_user

    if find_user(email) is not None:
        click.echo(f"An account already exists for {email}.", err=True)
        sys.exit(1)
    if len(password) < MIN_PASSWORD:
        click.echo(f"The password needs at least {MIN_PASSWORD} characters.", err=True)
        sys.exit(1)
    found = {q.slug: q.id for q in db.session.scalars(
        db.select(Quartier).where(Quartier.slug.in_(quartiers)))}
    unknown = sorted(set(quartiers) - set(found))
    if unknown:
        click.echo(f"Unknown quartier(s): {', '.join(unknown)}", err=True)
        sys.exit(1)
    if role == Role.TEAM.value and not found:
        click.echo("A team account needs at least one --quartier.", err=True)
        sys.exit(1)
    with unit_of_work():
        user = create_user(None, email=email, role=Role(role), name=name,
                           quartier_ids=found.values(), password=password)
    click.echo(f"Account created: {user.email} ({user.role.value}).")
