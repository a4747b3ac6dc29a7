"""Back-office pages of the reasons of "non retenue" (/admin/contributions/raisons/): the
list (active first, then retired, each with how many decisions gave it), adding one,
editing its words in French, English and Arabic, retiring it (no longer offered, still shown
on the decisions that gave it) and offering it again. The project team's (rules.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..extensions import db
from ..transaction import unit_of_work
from . import editing, queries
from .admin import bp
from .forms import ReasonForm
from .models import Contribution, RejectReason
from .rules import can_edit_reject_reasons

reason_or_404 = row_loader(RejectReason, "reason_id")


def _uses() -> dict[int, int]:
    """{reason id: decisions that gave it}, in one query."""
    query = (db.select(Contribution.reject_reason_id, db.func.count())
             .where(Contribution.reject_reason_id.is_not(None))
             .group_by(Contribution.reject_reason_id))
    return dict(db.session.execute(query).all())


def _list_page(form: ReasonForm | None = None, status: int = 200):
    reasons = queries.reject_reasons(retired=True)
    return render_template(
        "contributions/admin/reasons.html", form=form or ReasonForm(prefix="nouvelle"),
        active=[r for r in reasons if r.active], retired=[r for r in reasons if not r.active],
        uses=_uses()), status


@bp.route("/raisons/")
@permission_required(can_edit_reject_reasons)
def reasons():
    return _list_page()


@bp.route("/raisons/nouvelle", methods=["POST"])
@permission_required(can_edit_reject_reasons)
def reason_new():
    form = ReasonForm(prefix="nouvelle")
    if not form.validate_on_submit():
        return _list_page(form, 422)
    with unit_of_work():
        editing.create_reason(current_user(), form.text.data, translations_from(form))
    flash(_("Raison ajoutée : les modérateurs peuvent la choisir."), "success")
    return redirect(url_for(".reasons"))


@bp.route("/raisons/<int:reason_id>", methods=["GET", "POST"])
@permission_required(can_edit_reject_reasons, load=reason_or_404)
def reason_edit(reason: RejectReason):
    form = ReasonForm(obj=reason)
    if form.validate_on_submit():
        with unit_of_work():
            editing.update_reason(current_user(), reason, form.text.data,
                                  translations_from(form))
        flash(_("Raison enregistrée. Les décisions déjà prises gardent leurs mots."), "success")
        return redirect(url_for(".reasons"))
    if not form.is_submitted():
        fill_translations(form, reason.translations)
    return render_template("contributions/admin/reason_form.html", form=form, reason=reason,
                           uses=_uses().get(reason.id, 0)), 422 if form.is_submitted() else 200


def _retire(reason: RejectReason, retired: bool):
    if ConfirmForm().validate_on_submit():
        with unit_of_work():
            editing.retire_reason(current_user(), reason, retired)
        flash(_("Raison retirée : elle n’est plus proposée, les décisions qui l’ont donnée la "
                "montrent toujours.") if retired else _("Raison proposée à nouveau."),
              "success")
    return redirect(url_for(".reasons"))


@bp.route("/raisons/<int:reason_id>/retirer", methods=["POST"])
@permission_required(can_edit_reject_reasons, load=reason_or_404)
def reason_retire(reason: RejectReason):
    return _retire(reason, True)


@bp.route("/raisons/<int:reason_id>/remettre", methods=["POST"])
@permission_required(can_edit_reject_reasons, load=reason_or_404)
def reason_restore(reason: RejectReason):
    return _retire(reason, False)
