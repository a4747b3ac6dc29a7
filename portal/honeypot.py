"""The one trap for robots on the forms residents send without an account (subscriptions,
registrations, answers, contributions): a field people never see, hidden by CSS and from
screen readers, that robots fill in like any other. A request with the trap filled is
answered as a person would be, and nothing is written, so a robot learns nothing.

Templates draw it with the `honeypot()` macro of macros/ui.html; views ask `caught()`."""

from flask import request

NAME = "website"


def caught() -> bool:
    """Whether the request filled the trap."""
    return bool(request.form.get(NAME, "").strip())


def init_app(app) -> None:
    app.jinja_env.globals["HONEYPOT_NAME"] = NAME
