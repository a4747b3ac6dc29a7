"""Directory rows for back-office tests, imported through the schema like real records."""

from portal.directory.models import Service, Structure
from portal.extensions import db
from tests.directory.factories import load, service_record, structure_record


def make_structure(**fields) -> Structure:
    record = structure_record(**fields)
    load([record], [])
    return db.session.get(Structure, record["id"])


def make_service(structure: Structure, **fields) -> Service:
    record = service_record({"id": structure.id}, **fields)
    load([], [record])
    return db.session.get(Service, record["id"])
