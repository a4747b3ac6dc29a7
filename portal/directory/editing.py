"""Write operations on the directory from the back office. A form becomes a data·inclusion
record that goes through the same validation and upsert as an import (schema.import_records),
so columns, search text and export never disagree; each change writes the audit log. They
flush and never commit: the caller commits once (portal.transaction.unit_of_work)."""

from datetime import date
from pathlib import Path

from .. import clock
from ..backoffice import audit
from ..content import Report
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, publish, unpublish
from ..slugs import unique_slug
from .models import Service, Structure
from .schema import EXTENSION, import_records

SOURCE = "npnru-roubaix"  # records written in the back office
# Publication decisions are logged like the other items' (the record's own changes are not:
# save_record diffs the data·inclusion record).
TRAILS = {Structure: audit.Trail("structure", DECISION, label="nom"),
          Service: audit.Trail("service", DECISION, label="nom")}
OPTIONAL_LISTS = ("thematiques", "publics", "modes_accueil", "modes_mobilisation",
                  "mobilisable_par")


def new_id(model, name: str) -> str:
    kind = "structure" if model is Structure else "service"
    return unique_slug(model.id, name, kind, max_length=80, prefix=f"{SOURCE}--")


def last_update_date() -> date:
    """Today in Roubaix, but never after the machine's own date: the data·inclusion schema
    refuses a `date_maj` after the machine's date, which on a server kept in UTC is still
    yesterday for an hour or two after midnight in Paris (every save failed then)."""
    return min(clock.today(), clock.machine_today())


def build_record(base: dict | None, fields: dict, quartiers, translations: dict) -> dict:
    """`base` (the stored record, or {}) with the form's fields: empty ones are removed, so the
    schema sees them as absent; today becomes the date of the last update."""
    record = dict(base or {})
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            record.pop(name, None)
        else:
            record[name] = value
    record["date_maj"] = last_update_date().isoformat()
    record[EXTENSION] = {"quartiers": list(quartiers or ()), "translations": translations}
    return record


def _state(row) -> dict:
    if row is None:
        return {}
    state = dict(row.record or {})
    state.pop("date_maj", None)
    state["translations"] = row.translations or {}
    if isinstance(row, Service):
        state["quartiers"] = row.quartiers
    return state


class InvalidRecord(ValueError):
    """The schema refused the record: its messages, for the form. Raised, so the unit of work
    around the call rolls back what the upsert began."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def save_record(actor, model, record: dict):
    """Validate and upsert one structure or service: the row, or InvalidRecord."""
    before = _state(db.session.get(model, record["id"]))
    kind = "structure" if model is Structure else "service"
    args = ([record], []) if model is Structure else ([], [record])
    result = import_records(*args, Report(Path(".")), strict=True)
    if result.problems:
        raise InvalidRecord([problem.message for problem in result.problems])
    row = db.session.get(model, record["id"])
    if not before:
        # A draft until someone publishes it (imports are reviewed files).
        row.publication_status = PublicationStatus.DRAFT
    changes = audit.diff(before, _state(row))
    audit.record(actor, "update" if before else "create", row, object_type=kind,
                 label=row.nom, changes=changes, quartier_id=None)
    db.session.flush()
    return row


def set_published(actor, row, published: bool) -> None:
    (publish if published else unpublish)(row, actor, trail=TRAILS[type(row)])
    db.session.flush()


def delete_record(actor, row) -> None:
    kind = "structure" if isinstance(row, Structure) else "service"
    audit.record(actor, "delete", row, object_type=kind, label=row.nom,
                 changes=audit.diff(_state(row), {}), quartier_id=None)
    if isinstance(row, Structure):
        for service in list(row.services):  # the schema has no service without its structure
            db.session.delete(service)
    db.session.delete(row)
    db.session.flush()
