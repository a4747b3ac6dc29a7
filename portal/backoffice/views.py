"""Entering and leaving the back office, the password reset, the dashboard and its figures as
CSV, the live preview."""

import csv
import io

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import registry
from ..calendar import PARIS
from ..extensions import limiter
from ..mixins import utcnow
from ..quartiers import all_quartiers
from ..sanitize import MARKDOWN_MAX_LENGTH, render_markdown
from ..transaction import unit_of_work
from . import accounts, auth, bp, rules, throttle
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from .mail import send_mail


def _account_key() -> str:
    # Per account: the e-mail typed, whatever the address the requests come from.
    return "reset-account:" + auth.normalize_email(request.form.get("email", ""))


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _reset_account_limit() -> str:
    return current_app.config["RESET_LIMIT_PER_ACCOUNT"]


def _failed(response) -> bool:
    # Only failed attempts count: colleagues logging in from one city hall address, or one
    # person on a phone and a computer, are never locked out by their own successes.
    return response.status_code != 302


def _too_many_attempts(wait: int):
    return render_template("backoffice/too_many.html"), 429, {"Retry-After": str(wait)}


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], scope="login-address", deduct_when=_failed)
def login():
    form = LoginForm()
    target = auth.safe_next(request.args.get("next"))
    if request.method == "GET" and auth.current_user() is not None:
        return redirect(target or url_for("backoffice.dashboard"))
    if form.validate_on_submit():
        email = auth.normalize_email(form.email.data)
        # Per account and address (throttle.py): the owner, elsewhere, is never held back.
        wait = throttle.retry_after(email)
        if wait is not None:
            return _too_many_attempts(wait)
        user = auth.authenticate(email, form.password.data)
        if user is not None:
            with unit_of_work():
                auth.log_in(user)
            return redirect(target or url_for("backoffice.dashboard"))
        throttle.record_failure(email)
        # One message whatever was wrong: nobody learns which addresses have an account.
        form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
    status = 422 if form.is_submitted() else 200
    return render_template("backoffice/login.html", form=form, next=target), status


@bp.route("/deconnexion", methods=["POST"])
def logout():
    with unit_of_work():
        auth.log_out()  # ends every copy of the session cookie, on every device
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("backoffice.login"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], scope="reset-address")
# Nobody floods a colleague's mailbox with reset links.
@limiter.limit(_reset_account_limit, methods=["POST"], key_func=_account_key,
               scope="reset-account")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = auth.find_user(form.email.data)
        if user is not None and user.active:
            send_reset_link(user)
        else:
            # The same work without an account (token, link, text), only nothing is handed
            # to the mail sender: the answer takes as long whether the address exists or not.
            reset_mail(auth.stand_in_user(form.email.data))
        # The same answer whether or not the address has an account.
        flash(_("Si un compte existe pour cette adresse, un lien vient d’y être envoyé. "
                "Il reste valable une heure."), "info")
        return redirect(url_for("backoffice.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("backoffice/forgot.html", form=form), status


def reset_mail(user) -> tuple[str, str]:
    """The subject and text of the mail holding `user`'s reset link. The link starts with
    SITE_URL (portal.Portal.url_for), which production requires: never the request's Host."""
    link = url_for("backoffice.reset_password", token=auth.reset_token(user), _external=True)
    return (_("Votre mot de passe pour le portail NPNRU de Roubaix"),
            render_template("backoffice/mail_reset.txt", user=user, link=link))


def send_reset_link(user) -> None:
    send_mail(user.email, *reset_mail(user))


@bp.route("/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = auth.user_from_reset_token(token)
    if user is None:
        return render_template("backoffice/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        with unit_of_work():
            accounts.change_password(user, user, form.password.data)
            auth.log_in(user)
        flash(_("Votre mot de passe est enregistré."), "success")
        return redirect(url_for("backoffice.dashboard"))
    status = 422 if form.is_submitted() else 200
    return render_template("backoffice/reset.html", form=form), status


@bp.route("/")
@auth.permission_required(rules.can_enter_back_office)
def dashboard():
    user = auth.current_user()
    return render_template(
        "backoffice/dashboard.html", blocks=registry.of().dashboard_blocks(user),
        counts=registry.of().quartier_counts(), quartiers=all_quartiers(),
    )


@bp.route("/chiffres.csv")
@auth.permission_required(rules.can_enter_back_office)
def figures_csv():
    """The dashboard's figures per quartier, for a spreadsheet: ';' and a byte-order mark, as
    the French versions of Excel and LibreOffice expect."""
    counts = registry.of().quartier_counts()
    quartiers = all_quartiers()
    rows = [[_("Quartier"), *(str(count.label) for count, _values in counts)]]
    rows += [[q.name, *(values.get(q.id, 0) for _count, values in counts)] for q in quartiers]
    rows.append([_("Total"), *(sum(values.get(q.id, 0) for q in quartiers)
                               for _count, values in counts)])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(
        [[_spreadsheet_safe(cell) for cell in row] for row in rows])
    day = utcnow().astimezone(PARIS).date().isoformat()
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="npnru-roubaix-chiffres-{day}.csv"',
        "Cache-Control": "no-store",
    })


def _spreadsheet_safe(cell):
    # A name typed in the back office must not become a formula in someone's spreadsheet.
    if isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + cell
    return cell


@bp.route("/apercu", methods=["POST"])
@auth.permission_required(rules.can_enter_back_office)
def preview():
    """The Markdown of the field being typed, as the public page will show it (sanitize.py)."""
    # No form takes longer Markdown than this: a longer text is previewed up to there.
    text = request.form.get("text", "")[:MARKDOWN_MAX_LENGTH]
    return render_template("backoffice/_preview.html", html=render_markdown(text))
