"""Concertations: campaigns residents answer online, on paper or at the Maison Mobile, and
their results. Until campaigns are built (issue 16) the home page says none is open."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import registry


def init_app(app: Flask) -> None:
    registry.of(app).add_home_section(registry.Section(
        "consultations", 30, _l("Concertations ouvertes"), None, list,
        _l("Aucune concertation n'est ouverte en ce moment."),
    ))
