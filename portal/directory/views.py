"""Public routes of the directory: the list with entry points, search and filters, a service,
a structure, and the data·inclusion exports."""


from flask import Response, abort, render_template, request, url_for

from .. import clock, strict_json
from ..i18n import localized
from ..pagination import requested_page
from ..quartiers import all_quartiers
from . import bp, hours, vocab
from .loader import import_command
from .queries import Filters, fewer_words, search_services, service_or_404, structure_or_404
from .schema import (
    QUARTIER_NAMES,
    QUARTIERS,
    export_count,
    export_services,
    export_structures,
)
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
        fewer_words=fewer_words(filters) if not page.items and not filters.ouvert else [],
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


EXPORT_PAGE_SIZE = 100  # records a page of the export (the national API pages too)


def _json(records: list[dict]) -> Response:
    response = Response(strict_json.dumps(records, ensure_ascii=False, indent=1),
                        mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data, reusable from anywhere
    return response


def _export(kind: str, export, endpoint: str) -> Response:
    """One page of the export (?page=, from 1): a JSON list of data·inclusion records, the
    next and previous pages in the Link header, the number of records in X-Total-Count."""
    page = requested_page()
    total = export_count(kind)
    pages = max(1, -(-total // EXPORT_PAGE_SIZE))
    if not 1 <= page <= pages:
        abort(404)
    response = _json(export(page, EXPORT_PAGE_SIZE))
    links = []
    if page > 1:
        links.append(f'<{url_for(endpoint, page=page - 1, _external=True)}>; rel="prev"')
    if page < pages:
        links.append(f'<{url_for(endpoint, page=page + 1, _external=True)}>; rel="next"')
    if links:
        response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Access-Control-Expose-Headers"] = "Link, X-Total-Count"
    return response


@bp.route("/donnees/structures.json")
def structures_json():
    return _export("structures", export_structures, ".structures_json")


@bp.route("/donnees/services.json")
def services_json():
    return _export("services", export_services, ".services_json")
