"""/admin/messages/: the outbox for admins (counts by state, what failed or could not be
delivered with the provider's error, "renvoyer", one message), and each account's choice of
how it hears of items awaiting validation."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..backoffice.auth import current_user, permission_required
from ..backoffice.forms import ConfirmForm
from ..extensions import db
from ..transaction import unit_of_work
from . import editing, rules, staff
from .forms import PreferenceForm
from .models import Message, MessageState, NotifyMode

bp = Blueprint("messages_admin", __name__, url_prefix="/admin/messages")

STATE_LABELS = {
    MessageState.QUEUED: _l("En attente"),
    MessageState.SENDING: _l("En cours d’envoi"),
    MessageState.SENT: _l("Envoyé"),
    MessageState.FAILED: _l("Échec, nouvel essai prévu"),
    MessageState.DEAD: _l("Non distribuable"),
}
TROUBLED = (MessageState.FAILED, MessageState.DEAD)


def message_or_404(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/")
@permission_required(rules.can_view_outbox)
def index():
    counts = dict(db.session.execute(
        select(Message.state, func.count(Message.id)).group_by(Message.state)).all())
    troubled = db.session.scalars(
        select(Message).where(Message.state.in_(TROUBLED))
        .order_by(Message.next_attempt_at.desc(), Message.id.desc()).limit(100)).all()
    return render_template("messages/admin/index.html", counts=counts, troubled=troubled,
                           labels=STATE_LABELS, states=list(MessageState), form=ConfirmForm())


@bp.route("/<int:message_id>")
@permission_required(rules.can_view_outbox, load=message_or_404)
def detail(message: Message):
    user = current_user()
    show_body = not message.secret and (not message.personal
                                        or rules.can_read_message_body(user, message))
    return render_template("messages/admin/detail.html", message=message, labels=STATE_LABELS,
                           show_body=show_body, form=ConfirmForm())


@bp.route("/<int:message_id>/renvoyer", methods=["POST"])
@permission_required(rules.can_resend_message, load=message_or_404)
def resend(message: Message):
    form = ConfirmForm()
    if form.validate_on_submit() and message.state in TROUBLED:
        with unit_of_work():
            editing.resend(current_user(), message)
        flash(_("Le message est de nouveau en attente d’envoi."), "success")
    return redirect(url_for("messages_admin.detail", message_id=message.id))


@bp.route("/preferences", methods=["GET", "POST"])
@permission_required(rules.can_set_notification_preference)
def preferences():
    user = current_user()
    form = PreferenceForm()
    if not form.is_submitted():
        form.mode.data = staff.mode_of(user).value
    if form.validate_on_submit():
        with unit_of_work():
            editing.set_preference(user, NotifyMode(form.mode.data))
        flash(_("Préférence enregistrée."), "success")
        return redirect(url_for("messages_admin.preferences"))
    return render_template("messages/admin/preferences.html", form=form), (
        422 if form.is_submitted() else 200)
