"""Public routes of /abonnements/: subscribe, confirm (a GET page with a button, the POST
confirms, so mail scanners that open links confirm nothing), unsubscribe in one click, the
page a digest links to for changing one's choices, and the SMS provider's webhook for
replies ("STOP")."""


from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import honeypot
from ..extensions import csrf, limiter
from ..i18n import current_language
from ..quartiers import all_quartiers
from ..transaction import unit_of_work
from . import bp, inbound, subscriptions
from .forms import CodeForm, ConfirmForm, ManageForm, SubscribeForm, UnsubscribeForm
from .models import Channel


def _limit() -> str:
    return current_app.config["SUBSCRIBE_LIMIT_PER_ADDRESS"]


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], scope="subscribe-address")
def index():
    form = SubscribeForm(quartiers=all_quartiers())
    if not form.is_submitted():
        form.language.data = current_language()
        form.topics.data = [value for value, _label in form.topics.choices]
    status = 200
    if form.validate_on_submit():
        if honeypot.caught():  # a robot: it is told the same as a person, and nothing is sent
            return redirect(url_for("messages.check_mailbox"))
        channel = Channel(form.channel.data)
        try:
            with unit_of_work():
                subscription = subscriptions.request_subscription(
                    channel, form.address, form.quartiers.data, form.topics.data,
                    form.language.data)
                token = subscription.confirm_token
        except subscriptions.TooManyConfirmations:
            field = form.phone if channel is Channel.SMS else form.email
            field.errors = [_("Cette adresse ou ce numéro a déjà reçu trois messages de "
                              "confirmation aujourd’hui. Réessayez demain.")]
            status = 429
        else:
            if channel is Channel.SMS:
                return redirect(url_for("messages.code", token=token))
            return redirect(url_for("messages.check_mailbox"))
    elif form.is_submitted():
        status = 422
    return render_template("messages/subscribe.html", form=form), status


def _code_limit() -> str:
    return current_app.config["SUBSCRIBE_CODE_LIMIT"]


@bp.route("/verifiez-vos-emails")
def check_mailbox():
    return render_template("messages/check_mailbox.html")


@bp.route("/code/<token>", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], scope="subscribe-code")
def code(token: str):
    subscription = subscriptions.pending_by_token(token)
    if subscription is None or subscription.channel is not Channel.SMS:
        return render_template("messages/link_invalid.html"), 404
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        with unit_of_work():
            right = subscriptions.check_code(subscription, form.code.data)
            if right:
                subscriptions.confirm(subscription)
        if right:
            return redirect(url_for("messages.confirmed"))
        form.code.errors = [_("Ce code n’est pas le bon, ou il a expiré. Vérifiez le SMS, ou "
                              "demandez un nouveau code.")]
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("messages/code.html", form=form, subscription=subscription), status


@bp.route("/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str):
    subscription = subscriptions.pending_by_token(token)
    if subscription is None or subscription.channel is not Channel.EMAIL:
        return render_template("messages/link_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work():
            subscriptions.confirm(subscription)
        return redirect(url_for("messages.confirmed"))
    return render_template("messages/confirm.html", form=form), (
        422 if form.is_submitted() else 200)


@bp.route("/confirme")
def confirmed():
    return render_template("messages/confirmed.html")


@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a form
def unsubscribe(token: str):
    subscription = subscriptions.by_unsubscribe_token(token)
    if request.method == "POST":
        if subscription is not None:
            with unit_of_work():
                subscriptions.unsubscribe(subscription)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return redirect(url_for("messages.unsubscribed"))
    if subscription is None:
        return render_template("messages/link_invalid.html", unsubscribed=True), 404
    return render_template("messages/unsubscribe.html", form=UnsubscribeForm(),
                           subscription=subscription)


@bp.route("/gerer/<token>", methods=["GET", "POST"])
def manage(token: str):
    """Change quartiers, topics and language, or unsubscribe, from a digest's link."""
    subscription = subscriptions.by_manage_token(token)
    if subscription is None:
        return render_template("messages/link_invalid.html", unsubscribed=True), 404
    form = ManageForm(quartiers=all_quartiers())
    status, stale = 200, False
    if form.validate_on_submit():
        wanted = form.quartiers.data, form.topics.data, form.language.data
        with unit_of_work():
            changed = subscriptions.change_choices(subscription, *wanted, seen=form.key.data)
        if changed or subscriptions.has_choices(subscription, *wanted):  # or a double tap
            return redirect(url_for("messages.manage", token=token, enregistre=1))
        # Changed since this form was shown (another tab): show what is saved now.
        form, status, stale = ManageForm(formdata=None, quartiers=all_quartiers()), 409, True
    elif form.is_submitted():
        status = 422
    if not form.is_submitted() or stale:
        form.quartiers.data = sorted(subscription.quartier_ids)
        form.topics.data = list(subscription.topics)
        form.language.data = subscription.language
        form.key.data = subscriptions.choices_version(subscription)
    return render_template(
        "messages/manage.html", form=form, subscription=subscription, token=token,
        shown_address=subscriptions.shown_address(subscription), stale=stale,
        unsubscribe_form=UnsubscribeForm(), saved=request.args.get("enregistre") == "1",
    ), status


@bp.route("/desabonne")
def unsubscribed():
    return render_template("messages/unsubscribed.html")


@bp.route("/sms/entrant", methods=["POST"])
@csrf.exempt  # the provider's server posts JSON, authenticated by SMS_INBOUND_SECRET instead
def sms_inbound():
    """Brevo's transactional SMS events: a "STOP" reply deletes that number's subscription."""
    if not inbound.authorised(request.headers.get("Authorization")):
        return jsonify(error="unauthorised"), 401, {"WWW-Authenticate": 'Bearer realm="sms"'}
    payload = request.get_json(silent=True)
    if payload is None:
        return jsonify(error="JSON expected"), 400
    with unit_of_work():
        deleted = inbound.handle(payload)
    return jsonify(deleted=deleted)
