"""Back-office pages of the quartiers: editing their presentation (and its translations)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..backoffice.auth import current_user, permission_required
from ..backoffice.forms import fill_translations
from ..backoffice.rules import can_edit_quartier
from ..quartiers import Quartier, all_quartiers, quartier_or_404
from ..transaction import unit_of_work
from .editing import update_quartier
from .forms import QuartierForm

bp = Blueprint("core_admin", __name__, url_prefix="/admin/quartiers")


@bp.route("/")
@permission_required(can_edit_quartier)
def index():
    return render_template("core/admin/quartiers.html", quartiers=all_quartiers())


@bp.route("/<slug>", methods=["GET", "POST"])
@permission_required(can_edit_quartier, load=quartier_or_404)
def edit(quartier: Quartier):
    form = QuartierForm(obj=quartier)
    if not form.is_submitted():
        fill_translations(form, quartier.translations)
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            update_quartier(current_user(), quartier, form)
        flash(_("Présentation du quartier enregistrée."), "success")
        return redirect(url_for("core_admin.edit", slug=quartier.slug))
    previewing = form.is_submitted() and form.preview.data
    status = 200 if not form.is_submitted() or (previewing and not form.errors) else 422
    return render_template("core/admin/quartier_form.html", form=form, quartier=quartier,
                           previewing=previewing), status

