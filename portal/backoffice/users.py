"""Accounts of the back office (admins only): list, create, edit, send a password link."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..transaction import unit_of_work
from . import accounts, auth, bp, rules
from .forms import ConfirmForm, UserForm
from .models import Role, User
from .views import send_reset_link

user_or_404 = auth.row_loader(User, "user_id")


@bp.route("/comptes/")
@auth.permission_required(rules.can_manage_users)
def users():
    rows = db.session.scalars(
        db.select(User).options(selectinload(User.quartiers)).order_by(User.email)
    ).all()
    return render_template("backoffice/users.html", users=rows, Role=Role)


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
@auth.permission_required(rules.can_manage_users)
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        with unit_of_work():
            user = accounts.create_user(
                auth.current_user(), email=form.email.data, name=form.name.data,
                role=Role(form.role.data), active=form.active.data,
                quartier_ids=form.quartiers.data,
            )
        send_reset_link(user)  # the new colleague chooses a password from this link
        flash(_("Compte créé ; un lien pour choisir un mot de passe a été envoyé à %(email)s.",
                email=user.email), "success")
        return redirect(url_for("backoffice.users"))
    return render_template("backoffice/user_form.html", form=form, user=None), (
        422 if form.is_submitted() else 200)


@bp.route("/comptes/<int:user_id>", methods=["GET", "POST"])
@auth.permission_required(rules.can_manage_users, load=user_or_404)
def user_edit(user: User):
    form = UserForm(obj=user, current=user)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.quartiers.data = sorted(user.quartier_ids)
    if form.validate_on_submit():
        actor = auth.current_user()
        if user is actor and (form.role.data != Role.ADMIN.value or not form.active.data):
            # Nobody locks themselves (and maybe everyone) out of account management.
            form.role.errors.append(_("Vous ne pouvez pas retirer vos propres droits "
                                      "d’administration."))
        else:
            with unit_of_work():
                accounts.update_user(actor, user, email=form.email.data, name=form.name.data,
                                     role=Role(form.role.data), active=form.active.data,
                                     quartier_ids=form.quartiers.data)
            flash(_("Compte enregistré."), "success")
            return redirect(url_for("backoffice.users"))
    return render_template("backoffice/user_form.html", form=form, user=user,
                           reset_form=ConfirmForm(prefix="reset")), (
        422 if form.is_submitted() else 200)


@bp.route("/comptes/<int:user_id>/lien-mot-de-passe", methods=["POST"])
@auth.permission_required(rules.can_manage_users, load=user_or_404)
def user_send_link(user: User):
    form = ConfirmForm(prefix="reset")
    if form.validate_on_submit():
        send_reset_link(user)
        flash(_("Lien envoyé à %(email)s.", email=user.email), "success")
    return redirect(url_for("backoffice.user_edit", user_id=user.id))
