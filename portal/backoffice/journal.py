"""/admin/journal: the audit log, filterable by kind of item, person, quartier and action."""

import importlib
from functools import cache

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from ..extensions import db
from ..pagination import requested_page
from ..publication import LABELS as PUBLICATION_WORDS
from ..quartiers import all_quartiers
from . import auth, bp, rules
from .audit import journal_query
from .models import AuditEntry, User

# Words for the codes the write operations log; an unknown code is shown as it is.
ACTIONS = {
    "create": _l("Création"), "update": _l("Modification"), "delete": _l("Suppression"),
    "publish": _l("Publication"), "unpublish": _l("Retrait du site"),
    "cancel": _l("Annulation d’un passage"), "restore": _l("Passage rétabli"),
    "password": _l("Mot de passe changé"), "add_update": _l("Étape ajoutée"),
    "delete_update": _l("Étape retirée"), "submit": _l("Envoi en validation"),
    "return": _l("Renvoi avec un commentaire"), "reject": _l("Refus"), "hide": _l("Masquage"),
}
TYPES = {
    "news": _l("Actualité"), "visit": _l("Passage de la Maison Mobile"), "user": _l("Compte"),
    "quartier": _l("Quartier"), "works_site": _l("Chantier"), "structure": _l("Structure"),
    "service": _l("Service"),
}

# The form each kind of item is edited with: a changed field is named by its label there.
# Dotted paths, imported when the journal is read: the back office imports no domain.
FORMS = {
    "news": "portal.news.forms:NewsForm", "visit": "portal.mobile_house.forms:VisitForm",
    "user": "portal.backoffice.forms:UserForm", "quartier": "portal.core.forms:QuartierForm",
    "works_site": "portal.works.forms:SiteForm",
    "structure": "portal.directory.forms:StructureForm",
    "service": "portal.directory.forms:ServiceForm",
}
# Logged columns that no form shows under their own name.
COLUMNS = {
    "translations": _l("Traductions"), "status": _l("Statut"), "slug": _l("Adresse de la page"),
    "published_at": _l("Date de publication"), "image_path": _l("Image"),
    "rrule": _l("Règle de récurrence"), "geometry": _l("Emplacement sur la carte"),
    "published": _l("Visible sur le site"), "publication_status": _l("État de publication"),
    "decision_note": _l("Commentaire ou raison de la décision"),
}
# Logged values shown in the words of the back office: the publication states, also in entries
# written before 0010 (news and visits logged them as "status").
STATES = {state.value: label for state, label in PUBLICATION_WORDS.items()}
VALUE_WORDS = {("*", "publication_status"): STATES, ("news", "status"): STATES,
               ("visit", "status"): STATES}


def value_words(object_type: str, name: str) -> dict:
    """{logged value: word} for a logged field ({} when its values are shown as they are)."""
    return VALUE_WORDS.get((object_type, name)) or VALUE_WORDS.get(("*", name)) or {}


@cache
def form_labels(object_type: str) -> dict:
    """{field name: label} of the form that edits `object_type` ({} when none is known)."""
    module, _, name = FORMS.get(object_type, "").partition(":")
    try:
        form = getattr(importlib.import_module(module), name)
    except (ImportError, ValueError, AttributeError):
        return {}  # unknown type, or a renamed form (a test lists FORMS): raw names then
    fields = {n: getattr(form, n) for n in dir(form)}
    return {n: f.kwargs.get("label", f.args[0] if f.args else n)
            for n, f in fields.items() if isinstance(f, UnboundField)}


def field_label(object_type: str, name: str):
    """What the journal calls a logged field: its form label, else a known word, else its
    name as it is (quartier_id is labelled like the form's `quartier`)."""
    labels = form_labels(object_type)
    return (labels.get(name) or labels.get(name.removesuffix("_id")) or COLUMNS.get(name)
            or name)


@bp.route("/journal")
@auth.permission_required(rules.can_read_journal)
def journal():
    types = db.session.scalars(db.select(AuditEntry.object_type).distinct()).all()
    actions = db.session.scalars(db.select(AuditEntry.action).distinct()).all()
    people = db.session.scalars(db.select(User).order_by(User.email)).all()
    quartiers = all_quartiers()
    # Unknown filter values are ignored, never an error.
    chosen = {
        "type": request.args.get("type") if request.args.get("type") in types else None,
        "action": request.args.get("action") if request.args.get("action") in actions else None,
        "actor": _known_id(request.args.get("actor"), {u.id for u in people}),
        "quartier": _known_id(request.args.get("quartier"), {q.id for q in quartiers}),
    }
    page = db.paginate(
        journal_query(chosen["type"], chosen["actor"], chosen["quartier"], chosen["action"]),
        page=requested_page(), per_page=current_app.config.get(
            "JOURNAL_PER_PAGE", 30), error_out=False,
    )
    filters = {k: v for k, v in chosen.items() if v}
    return render_template("backoffice/journal.html", page=page, types=sorted(types),
                           actions=sorted(actions), people=people, quartiers=quartiers,
                           chosen=chosen, filters=filters, ACTIONS=ACTIONS, TYPES=TYPES,
                           field_label=field_label, value_words=value_words)


def _known_id(value: str | None, known: set[int]) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in known else None
