"""Accounts and logged-in clients for back-office tests."""

import re
from html.parser import HTMLParser
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
    app.extensions["sms_outbox"] = []
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


class _FormValues(HTMLParser):
    """What a browser would send for each POST form of a page, as it stands."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._in_form = False
        self._select = self._textarea = None

    def _add(self, name, value):
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._in_form = True
            self.forms.append({})
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "file", "image", "button"):
                self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self._text.removeprefix("\r\n").removeprefix("\n")  # as HTML parsing does
            # Browsers send a textarea's line breaks as CRLF.
            self._add(self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n"))
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_values(html: str) -> dict[str, list[str]]:
    """The fields of the page's main POST form (the one with the most fields)."""
    parser = _FormValues()
    parser.feed(html)
    return max(parser.forms, key=len)


def outbox() -> list:
    """The mails sent so far: the outbox's due messages are delivered first, as a worker
    would (memory backend)."""
    from flask import current_app

    from portal.messages.worker import deliver_all

    deliver_all()
    return current_app.extensions.setdefault("mail_outbox", [])
