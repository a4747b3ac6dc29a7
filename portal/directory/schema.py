"""data·inclusion in and out: validate records with the `data-inclusion-schema` package,
upsert them by id, and export the offer in the same schema.

Records are plain data·inclusion v1 dicts. The portal adds one optional key the schema ignores,
"npnru": {"quartiers": ["alma", ...], "translations": {"en": {"nom": ..., "description": ...}}},
for what the national schema has no field for; it is not exported.

Policy (README): load-content is strict (any invalid record: nothing is written, as for every
content file); `flask import-data-inclusion` skips invalid records and reports them, or with
--strict rejects the whole file. Either way everything happens in one transaction.
"""

from dataclasses import dataclass, field

import pydantic
from data_inclusion.schema import v1
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import phones
from ..content import Report, upsert
from ..extensions import db
from . import hours
from .models import Service, Structure, public_service_select, tags
from .search import service_search_text

EXTENSION = "npnru"
# The programme's quartiers; their names serve until content/quartiers is loaded.
QUARTIER_NAMES = {"alma": "Alma", "epeule": "Épeule", "pile": "Pile", "trois-ponts": "Trois Ponts"}
QUARTIERS = tuple(QUARTIER_NAMES)
TRANSLATED_FIELDS = ("nom", "description", "frais_precisions", "publics_precisions",
                     "conditions_acces", "mobilisation_precisions")
_PLACE = ("adresse", "complement_adresse", "code_postal", "commune", "latitude", "longitude",
          "telephone", "courriel", "horaires_accueil")


@dataclass
class Problem:
    kind: str  # "structure" or "service"
    id: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.message}"


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    structures: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


def schema_messages(error: pydantic.ValidationError) -> list[str]:
    """The schema's messages, one per field ("site_web: …"), in the team's language: the
    back office shows each next to its field, the import command lists them."""
    messages = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "record"
        messages.append(f"{where}: {_plain_message(item)}")
    return messages


def _plain_message(item: dict) -> str:
    """pydantic's English, for the usual mistakes, in plain words (else pydantic's own)."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "enum":  # pydantic lists every allowed value (69 thématiques): name the wrong one
        return _("valeur inconnue : %(value)s", value=repr(item["input"]))
    if kind == "missing":
        return _("champ obligatoire.")
    if kind == "string_too_long":
        return _("trop long : %(max)d caractères au plus.", max=ctx.get("max_length", 0))
    if kind == "string_too_short":
        return _("trop court : %(min)d caractères au moins.", min=ctx.get("min_length", 0))
    if kind.startswith("url_"):
        return _("adresse web non valide : écrivez-la en entier, avec https://")
    if kind == "value_error" and item["loc"] and item["loc"][-1] == "courriel":
        return _("adresse e-mail non valide, par exemple accueil@exemple.fr")
    if kind.startswith("date_"):
        return _("date non valide (AAAA-MM-JJ).")
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return _("un nombre est attendu.")
    return item["msg"]


def validate(model, raw) -> tuple[object | None, list[str]]:
    if not isinstance(raw, dict):
        return None, ["a record must be a JSON object"]
    try:
        return model.model_validate(raw), []
    except pydantic.ValidationError as exc:
        return None, schema_messages(exc)


def as_record(model_instance) -> dict:
    """The validated record as JSON data, sets sorted so that equal records hash equally."""
    data = model_instance.model_dump(mode="json", exclude_none=True)
    return {key: sorted(value) if isinstance(model_instance.__dict__.get(key), set) else value
            for key, value in data.items()}


def _extension(raw: dict) -> tuple[dict, list[str]]:
    extra = raw.get(EXTENSION) or {}
    problems = []
    if not isinstance(extra, dict):
        return {}, [f"{EXTENSION}: must be an object"]
    unknown = [q for q in extra.get("quartiers") or () if q not in QUARTIERS]
    if unknown:
        problems.append(f"{EXTENSION}.quartiers: unknown quartier(s) {unknown}; "
                        f"known: {', '.join(QUARTIERS)}")
    translations = extra.get("translations") or {}
    if not isinstance(translations, dict) or not all(
        isinstance(fields, dict) for fields in translations.values()
    ):
        problems.append(f"{EXTENSION}.translations: must map a language to its fields")
        translations = {}
    return {
        "quartiers": list(extra.get("quartiers") or ()),
        "translations": {
            lang: {k: str(v).strip() for k, v in fields.items() if k in TRANSLATED_FIELDS and v}
            for lang, fields in translations.items()
        },
    }, problems


def _place_problems(model) -> list[str]:
    """What the schema lets through but pages cannot use: a telephone field that is not one
    number (no call button could work), hours the opening_hours parser cannot read."""
    problems = []
    for name, check in (("telephone", phones.problem), ("horaires_accueil", hours.problem)):
        message = check(getattr(model, name))
        if message:
            problems.append(f"{name}: {message}")
    return problems


def _raw_id(raw) -> str:
    return str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else "(no id)"


def import_records(structures: list, services: list, report: Report,
                   strict: bool = False) -> ImportResult:
    """Validate then upsert. Returns what was kept and the problems; the caller commits (or
    rolls back when it wants all or nothing). Services are checked against the structures of
    the file and of the database."""
    result = ImportResult()
    valid_structures = []
    for raw in structures:
        model, messages = validate(v1.Structure, raw)
        extra, more = _extension(raw) if model else ({}, [])
        messages += more + (_place_problems(model) if model else [])
        if messages:
            result.problems += [Problem("structure", _raw_id(raw), m) for m in messages]
        else:
            valid_structures.append((model, extra, raw))
    known = {model.id for model, _, _ in valid_structures}
    known |= set(db.session.scalars(db.select(Structure.id)))
    valid_services = []
    for raw in services:
        model, messages = validate(v1.Service, raw)
        extra, more = _extension(raw) if model else ({}, [])
        messages += more + (_place_problems(model) if model else [])
        if model and model.structure_id not in known:
            messages.append(f"structure_id: unknown structure {model.structure_id!r}")
        if messages:
            result.problems += [Problem("service", _raw_id(raw), m) for m in messages]
        else:
            valid_services.append((model, extra, raw))
    if strict and result.problems:
        return result
    names = {}
    renamed = set()
    for model, extra, raw in valid_structures:
        extra = _kept_extension(Structure, model.id, raw, extra)
        before = db.session.get(Structure, model.id)
        old_name = before.nom if before else None
        row = upsert(Structure, {"id": model.id}, _structure_values(model, extra), raw, report,
                     "structures")
        names[row.id] = row.nom
        if old_name not in (None, row.nom):
            renamed.add(row.id)
        result.structures.append(model.id)
    db.session.flush()
    missing = {m.structure_id for m, _, _ in valid_services} - set(names)
    if missing:
        names.update({row.id: row.nom for row in db.session.execute(
            db.select(Structure.id, Structure.nom).where(Structure.id.in_(missing))
        )})
    for model, extra, raw in valid_services:
        extra = _kept_extension(Service, model.id, raw, extra)
        upsert(Service, {"id": model.id},
               _service_values(model, extra, names[model.structure_id]), raw, report, "services")
        result.services.append(model.id)
    db.session.flush()
    _refresh_search_text(renamed, names)
    return result


def _row_search_text(service: Service, structure_name: str) -> str:
    values = {"nom": service.nom, "description": service.description,
              "commune": service.commune, "adresse": service.adresse,
              "thematiques": service.thematiques, "publics": service.publics}
    return service_search_text(values, structure_name, service.translations or {})


def _refresh_search_text(structure_ids: set[str], names: dict) -> None:
    """A renamed structure's services must be found under its new name, even those the import
    leaves unchanged (same record, same hash: upsert writes nothing)."""
    if not structure_ids:
        return
    for service in db.session.scalars(
        db.select(Service).where(Service.structure_id.in_(structure_ids))
    ):
        service.search_text = _row_search_text(service, names[service.structure_id])


def refresh_search_texts(report: Report) -> None:
    """Rebuild every service's search text and write those that differ. load-content runs it,
    so rows written under older rules (labels, their translations, normalisation), whether
    imported, made in the back office or unchanged in the files, are found by today's rules
    (about 0.25 ms a service)."""
    rows = db.session.scalars(db.select(Service).options(selectinload(Service.structure)))
    for service in rows:
        text = _row_search_text(service, service.structure.nom)
        if text != service.search_text:
            service.search_text = text
            report.count("service search texts", "updated")


def _kept_extension(model, record_id: str, raw: dict, extra: dict) -> dict:
    """A record from elsewhere (data·inclusion, our own export) says nothing about quartiers
    or translations: keep what the portal already knows instead of erasing it."""
    if EXTENSION in raw:
        return extra
    row = db.session.get(model, record_id)
    if row is None:
        return extra
    return {"quartiers": list(getattr(row, "quartiers", [])),
            "translations": dict(row.translations or {})}


def _structure_values(model: v1.Structure, extra: dict) -> dict:
    return {
        "source": model.source, "nom": model.nom, "description": model.description or "",
        "site_web": str(model.site_web) if model.site_web else None,
        "accessibilite_lieu": str(model.accessibilite_lieu) if model.accessibilite_lieu else None,
        "date_maj": model.date_maj, "record": as_record(model),
        "translations": extra.get("translations", {}),
        **{name: getattr(model, name) for name in _PLACE},
    }


def _service_values(model: v1.Service, extra: dict, structure_name: str) -> dict:
    values = {
        "structure_id": model.structure_id, "source": model.source, "nom": model.nom,
        "description": model.description, "type": model.type.value if model.type else None,
        "frais": model.frais.value if model.frais else None,
        "frais_precisions": model.frais_precisions,
        "publics_precisions": model.publics_precisions,
        "conditions_acces": model.conditions_acces,
        "mobilisation_precisions": model.mobilisation_precisions,
        "lien_mobilisation": str(model.lien_mobilisation) if model.lien_mobilisation else None,
        "date_maj": model.date_maj,
        "thematiques_tags": tags(t.value for t in model.thematiques or ()),
        "publics_tags": tags(p.value for p in model.publics or ()),
        "modes_accueil_tags": tags(m.value for m in model.modes_accueil or ()),
        "quartiers_tags": tags(extra.get("quartiers")),
        "record": as_record(model), "translations": extra.get("translations", {}),
        **{name: getattr(model, name) for name in _PLACE},
    }
    listed = {"thematiques": sorted(t.value for t in model.thematiques or ()),
              "publics": sorted(p.value for p in model.publics or ()), **values}
    values["search_text"] = service_search_text(listed, structure_name, values["translations"])
    return values


def split_document(data) -> tuple[list, list] | None:
    """A data·inclusion file is a list of structures or of services (as the national exports
    are), or an object {"structures": [...], "services": [...]}; None if it is neither."""
    if isinstance(data, dict) and set(data) <= {"structures", "services"}:
        structures, services = data.get("structures") or [], data.get("services") or []
        if isinstance(structures, list) and isinstance(services, list):
            return structures, services
        return None
    if isinstance(data, list):
        services = [r for r in data if isinstance(r, dict) and "structure_id" in r]
        return [r for r in data if not (isinstance(r, dict) and "structure_id" in r)], services
    return None


def export_structures(page: int | None = None, size: int = 100) -> list[dict]:
    """The published offer only: drafts stay inside the back office. With `page` (from 1),
    that page of `size` records: what one answer holds never depends on the data."""
    query = db.select(Structure).where(Structure.is_published).order_by(Structure.id)
    return [row.record for row in db.session.scalars(_page(query, page, size))]


def export_services(page: int | None = None, size: int = 100) -> list[dict]:
    query = public_service_select().order_by(Service.id)
    return [row.record for row in db.session.scalars(_page(query, page, size))]


def _page(query, page: int | None, size: int):
    return query if page is None else query.limit(size).offset((page - 1) * size)


def export_count(kind: str) -> int:
    query = (db.select(Structure.id).where(Structure.is_published) if kind == "structures"
             else public_service_select(Service.id))
    return db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
