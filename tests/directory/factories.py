"""data·inclusion records and directory rows for tests."""

from itertools import count

from portal.content import Report
from portal.directory.schema import import_records
from portal.extensions import db

_numbers = count(1)
SOURCE = "test"


def structure_record(key: str | None = None, **fields) -> dict:
    key = key or f"structure-{next(_numbers)}"
    record = {"source": SOURCE, "id": f"{SOURCE}--{key}", "nom": f"Structure {key}",
              "date_maj": "2026-10-01", "commune": "Roubaix", "code_postal": "59100",
              "adresse": "1 Grand-Place", "latitude": 50.69, "longitude": 3.18,
              "telephone": "+33320000099", "horaires_accueil": "Mo-Fr 09:00-12:00; PH off"}
    record.update(fields)
    return record


def service_record(structure: dict, key: str | None = None, **fields) -> dict:
    key = key or f"service-{next(_numbers)}"
    record = {"source": SOURCE, "id": f"{SOURCE}--{key}", "structure_id": structure["id"],
              "nom": f"Service {key}", "description": "Un service pour les habitants.",
              "date_maj": "2026-10-01", "thematiques": ["sante--acces-aux-soins"],
              "publics": ["tous-publics"], "frais": "gratuit", "modes_accueil": ["en-presentiel"]}
    record.update(fields)
    return record


def load(structures: list, services: list, strict: bool = True):
    """Import records as load-content does and commit; returns the ImportResult."""
    result = import_records(structures, services, Report(root="."), strict=strict)
    assert not strict or not result.problems, result.problems  # a test's records must be valid
    db.session.commit()
    return result


def make_services(*services: dict, structure: dict | None = None) -> list:
    """Import one structure and services built from the given field overrides."""
    structure = structure or structure_record()
    load([structure], [service_record(structure, **fields) for fields in services])
    return structure
