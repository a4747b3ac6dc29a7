"""Home, quartiers, legal pages, language switch, errors and machine-readable files."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from . import registry

bp = Blueprint("core", __name__)
bp.add_app_template_global(registry.nav_entries, "nav_entries")

registry.add_nav("core.home", _l("Accueil"), 0)

# Blocks that later features fill; until then each says plainly what there is instead (the
# news announce meetings and walks until the participation agenda exists).
for key, order, title, empty, more, more_label in (
    ("visits", 10, _l("Prochains passages de la Maison Mobile du Projet"),
     _l("Aucun passage de la Maison Mobile n'est annoncé pour le moment."), None, None),
    ("consultations", 30, _l("Concertations ouvertes"),
     _l("Aucune concertation n'est ouverte en ce moment."), None, None),
    ("events", 40, _l("Prochains rendez-vous"),
     _l("L’agenda des rendez-vous arrive bientôt sur ce site. En attendant, les réunions, "
        "balades et ateliers sont annoncés dans les actualités."),
     "news.index", _l("Voir les actualités")),
):
    registry.add_home_section(registry.Section(key, order, title, None, lambda: [], empty,
                                               more, more_label))

from . import admin, loader, views  # noqa: E402,F401  (routes, admin pages, loader register)
