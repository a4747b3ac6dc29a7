"""The directory's blocks on the home page (entry points) and quartier pages, and its pages
in the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from . import vocab
from .queries import quartier_services
from .texts import template_helpers


def _sitemap():
    from ..extensions import db
    from .models import Service, Structure, public_service_select

    structures = db.select(Structure.id).where(Structure.is_published).order_by(Structure.id)
    for structure_id in db.session.scalars(structures):
        yield "directory.structure", {"structure_id": structure_id}
    for service_id in db.session.scalars(public_service_select(Service.id).order_by(Service.id)):
        yield "directory.service", {"service_id": service_id}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "services", 15, _l("Qui peut m’aider ?"), "directory/_needs.html",
        lambda: list(vocab.NEEDS.values()), "", "directory.index", _l("Tous les services"),
        helpers=template_helpers,
    ))
    reg.add_quartier_section(Section(
        "services", 30, _l("Qui peut m’aider dans le quartier ?"), "directory/_cards.html",
        lambda quartier: quartier_services(quartier), _l("Aucun service n’est installé dans ce "
                                                         "quartier : voir ceux de toute la ville."),
        "directory.index", _l("Tous les services pour ce quartier"),
        helpers=template_helpers,
    ))
    reg.add_sitemap(lambda: [("directory.index", {}), *_sitemap()])
