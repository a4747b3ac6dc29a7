"""The audit log: every write operation of the back office records who changed what.

Domain write functions (`create_news`, `update_news`...) log through a `Trail`: it takes a
`snapshot()` of the fields they may change before and after, then calls `record()` with the
difference; the entry is added to the same transaction as the change, so one never lands
without the other.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum

from ..extensions import db
from ..quartiers import Quartier, quartier_ids_of
from .models import AuditEntry, User

MAX_TEXT = 2000  # long bodies are cut in the log: it says what changed, not a full history


def _jsonable(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "slug"):
        return value.slug  # a related row (a quartier): its stable name
    return str(value)


def snapshot(obj, fields) -> dict:
    """The current values of `fields`, as JSON. Lists of rows (quartiers) become their slugs."""
    if obj is None:
        return {}
    return {name: _jsonable(getattr(obj, name, None)) for name in fields}


def _same(old, new) -> bool:
    """Equal values; lists of strings (themes, quartiers) in another order too: the form
    gives checked boxes in its own order, which is no change made by anyone."""
    if old == new:
        return True
    strings = (isinstance(old, list) and isinstance(new, list)
               and all(isinstance(v, str) for v in old + new))
    return strings and sorted(old) == sorted(new)


def diff(before: dict, after: dict) -> dict:
    """{"field": [before, after]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if not _same(before.get(name), after.get(name))
    }


def record(actor: User | None, action: str, obj, *, object_type: str, label: str = "",
           changes: dict | None = None, quartier_id: int | None = None) -> AuditEntry:
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new row: its id is part of the entry
    ids = sorted(quartier_ids_of(obj) | ({quartier_id} if quartier_id else set()))
    if quartier_id is None:
        quartier_id = ids[0] if len(ids) == 1 else None
    entry = AuditEntry(
        actor_id=actor.id if actor else None, actor_email=actor.email if actor else "",
        action=action, object_type=object_type, object_id=str(getattr(obj, "id", "") or ""),
        object_label=(label or str(getattr(obj, "title", "") or getattr(obj, "name", "")))[:300],
        quartier_id=quartier_id, changes=changes or {},
    )
    # Every quartier of the item, so the journal's filter finds news of two quartiers too.
    entry.quartiers = [q for q in (db.session.get(Quartier, i) for i in ids) if q is not None]
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class Trail:
    """How one kind of row is logged: its type in the journal, the fields compared, and the
    attribute naming it (read when the entry is written; empty: its title or name)."""

    object_type: str
    fields: tuple[str, ...]
    label: str = ""

    def record(self, actor: User | None, action: str, obj, **entry) -> AuditEntry:
        label = getattr(obj, self.label) if self.label else ""
        return record(actor, action, obj, object_type=self.object_type, label=label, **entry)

    def created(self, actor: User | None, obj, **entry) -> None:
        self.record(actor, "create", obj, changes=diff({}, snapshot(obj, self.fields)), **entry)

    def deleted(self, actor: User | None, obj, **entry) -> None:
        """Call it before deleting `obj`: the entry keeps its last values."""
        self.record(actor, "delete", obj, changes=diff(snapshot(obj, self.fields), {}), **entry)

    @contextmanager
    def change(self, actor: User | None, action: str, obj, **entry):
        """Logs what the block changes in `obj`; an "update" that changed nothing is not."""
        before = snapshot(obj, self.fields)
        yield
        changes = diff(before, snapshot(obj, self.fields))
        if changes or action != "update":
            self.record(actor, action, obj, changes=changes, **entry)


def journal_query(object_type: str | None = None, actor_id: int | None = None,
                  quartier_id: int | None = None, action: str | None = None):
    """Entries, newest first, filtered on what the journal page offers."""
    from sqlalchemy.orm import selectinload

    query = (db.select(AuditEntry)
             .options(selectinload(AuditEntry.actor), selectinload(AuditEntry.quartier))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if quartier_id:
        query = query.where(AuditEntry.quartiers.any(Quartier.id == int(quartier_id)))
    if action:
        query = query.where(AuditEntry.action == action)
    return query
