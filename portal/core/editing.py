"""Write operations on the quartiers from the back office: their presentation and its
translations. Like every domain's `editing.py`, they flush with their audit entry and never
commit: the caller commits once (portal.transaction.unit_of_work)."""

from ..backoffice import audit
from ..backoffice.forms import merge_translations, translations_from
from ..extensions import db
from ..quartiers import Quartier
from ..sanitize import render_stored

FIELDS = ("name", "summary", "body", "translations")
TRAIL = audit.Trail("quartier", FIELDS)


def update_quartier(actor, quartier: Quartier, form) -> None:
    with TRAIL.change(actor, "update", quartier, quartier_id=quartier.id):
        quartier.name = form.name.data.strip()
        quartier.summary = form.summary.data.strip()
        quartier.body = (form.body.data or "").strip()
        # Translated key-figure labels are not edited here: keep them.
        quartier.translations = merge_translations(
            quartier.translations, translations_from(form), form.translated_fields)
        render_stored(quartier)
    db.session.flush()
