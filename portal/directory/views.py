"""Public routes of the directory: the list with entry points, search and filters, a service,
a structure, and the data·inclusion exports."""


from flask import Response, render_template, request

from .. import clock, strict_json
from ..i18n import localized
from ..pagination import requested_page
from ..quartiers import all_quartiers
from . import bp, hours, vocab
from .loader import import_command
from .queries import Filters, search_services, service_or_404, structure_or_404
from .schema import QUARTIER_NAMES, QUARTIERS, export_services, export_structures
from .texts import template_helpers

bp.context_processor(template_helpers)  # the domain's words, in its pages only
bp.cli.add_command(import_command)  # flask import-data-inclusion


@bp.route("/services/")
def index():
    filters = Filters.from_args(request.args)
    page = search_services(filters, page=requested_page())
    quartiers = [(q.slug, localized(q, "name")) for q in all_quartiers() if q.slug in QUARTIERS]
    return render_template(
        "directory/index.html", filters=filters, page=page, needs=vocab.NEEDS.values(),
        quartiers=quartiers or list(QUARTIER_NAMES.items()), now=clock.now(),
    )


@bp.route("/services/<service_id>")
def service(service_id: str):
    service = service_or_404(service_id)
    return render_template(
        "directory/service.html", service=service, structure=service.structure,
        hours=hours.summarise(service.opening_hours),
    )


@bp.route("/structures/<structure_id>")
def structure(structure_id: str):
    structure = structure_or_404(structure_id)
    return render_template(
        "directory/structure.html", structure=structure,
        hours=hours.summarise(structure.horaires_accueil), now=clock.now(),
    )


def _json(records: list[dict]) -> Response:
    response = Response(strict_json.dumps(records, ensure_ascii=False, indent=1),
                        mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data, reusable from anywhere
    return response


@bp.route("/donnees/structures.json")
def structures_json():
    return _json(export_structures())


@bp.route("/donnees/services.json")
def services_json():
    return _json(export_services())
