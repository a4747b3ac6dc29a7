"""Words residents read for the kinds and statuses of works sites, and the marker shapes."""

from flask_babel import lazy_gettext as _l

from .models import WorksKind, WorksStatus

KIND_LABELS = {
    WorksKind.DEMOLITION: _l("Démolition"),
    WorksKind.REHABILITATION: _l("Réhabilitation"),
    WorksKind.CONSTRUCTION: _l("Construction"),
    WorksKind.PUBLIC_SPACE: _l("Espaces publics"),
    WorksKind.FACILITY: _l("Équipement"),
}

STATUS_LABELS = {
    WorksStatus.ONGOING: _l("En cours"),
    WorksStatus.PLANNED: _l("À venir"),
    WorksStatus.DONE: _l("Terminé"),
}

# Each kind has its own marker shape (static/css/map.css), so the map never relies on colour.
KIND_SHAPES = {
    WorksKind.DEMOLITION: "square",
    WorksKind.REHABILITATION: "circle",
    WorksKind.CONSTRUCTION: "triangle",
    WorksKind.PUBLIC_SPACE: "diamond",
    WorksKind.FACILITY: "house",
}


def template_helpers() -> dict:
    """What works templates (and the quartier page's works block) read beside their items."""
    return {"works_kinds": KIND_LABELS, "works_statuses": STATUS_LABELS,
            "works_shapes": KIND_SHAPES}
