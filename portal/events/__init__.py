"""Rendez-vous: public meetings, workshops, walks and permanences posted by neighbourhood teams
and validated by the project team. Until its agenda is built (issue 15) the home page says
where meetings are announced today."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import registry


def init_app(app: Flask) -> None:
    registry.of(app).add_home_section(registry.Section(
        "events", 40, _l("Prochains rendez-vous"), None, list,
        _l("L’agenda des rendez-vous arrive bientôt sur ce site. En attendant, les réunions, "
           "balades et ateliers sont annoncés dans les actualités."),
        "news.index", _l("Voir les actualités"),
    ))
