"""Accounts and logged-in clients for back-office tests."""

import re
from itertools import count

import pytest

from portal.backoffice.auth import hash_password
from portal.backoffice.models import Role, User
from portal.extensions import db, limiter
from tests.factories import make_quartier

_numbers = count(1)
PASSWORD = "correct horse battery staple"


def make_user(role: Role | str = Role.ADMIN, quartiers=(), password: str | None = None,
              **fields) -> User:
    n = next(_numbers)
    values = {"email": f"personne{n}@ville-roubaix.example", "name": f"Personne {n}",
              "active": True, "session_version": 1,
              "password_hash": hash_password(password) if password else ""}
    values.update(fields)
    user = User(role=Role(role), quartiers=list(quartiers), **values)
    db.session.add(user)
    db.session.commit()
    return user


def log_in_as(client, user: User) -> None:
    """Put the account in the session cookie, as a successful login does."""
    with client.session_transaction() as session:
        session.clear()
        session["uid"] = user.id
        session["sv"] = user.session_version


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def backoffice(app, db):
    """Mail kept in memory, limits reset, the four quartiers; yields the app."""
    app.config["MAIL_BACKEND"] = "memory"
    app.extensions["mail_outbox"] = []
    limiter.reset()
    yield app
    limiter.reset()


@pytest.fixture
def quartiers(backoffice):
    return {slug: make_quartier(slug) for slug in ("alma", "epeule", "pile", "trois-ponts")}


@pytest.fixture
def admin_client(app, quartiers):
    client = app.test_client()
    user = make_user(Role.ADMIN)
    log_in_as(client, user)
    client.user = user
    return client


@pytest.fixture
def project_client(app, quartiers):
    client = app.test_client()
    user = make_user(Role.PROJECT)
    log_in_as(client, user)
    client.user = user
    return client


@pytest.fixture
def team_client(app, quartiers):
    """A neighbourhood team of Alma."""
    client = app.test_client()
    user = make_user(Role.TEAM, quartiers=[quartiers["alma"]])
    log_in_as(client, user)
    client.user = user
    return client
