"""Back-office pages of rendez-vous: the list, the form (a team's event waits for
validation), validation and return with a comment, cancel, duplicate, the compte rendu."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.rules import is_team
from ..extensions import db
from ..publication import PublicationStatus
from ..registry import QueueItem, Registry
from ..transaction import unit_of_work
from . import editing, notify
from .forms import CancelForm, EventForm, ReportForm, ReturnForm
from .models import Event
from .rules import can_create_event, can_edit_event, can_list_events, can_validate_event
from .texts import local, template_helpers

bp = Blueprint("events_admin", __name__, url_prefix="/admin/agenda")
bp.context_processor(template_helpers)

event_or_404 = row_loader(Event, "event_id", Event.quartier)


def visible_events(user, status: PublicationStatus | None = None):
    query = (db.select(Event).options(selectinload(Event.quartier))
             .order_by(Event.starts_at.desc()))
    if is_team(user):
        query = query.where(Event.quartier_id.in_(user.quartier_ids))
    if status is not None:
        query = query.where(Event.publication_status == status)
    return query


@bp.route("/")
@permission_required(can_list_events)
def index():
    status = request.args.get("statut")
    chosen = PublicationStatus(status) if status in {s.value for s in PublicationStatus} else None
    events = db.session.scalars(visible_events(current_user(), chosen).limit(300)).all()
    return render_template("events/admin/index.html", events=events, status=chosen,
                           statuses=list(PublicationStatus))


def _data(form: EventForm) -> dict:
    return {
        "quartier_id": form.quartier.data, "kind": form.kind.data, "title": form.title.data,
        "easy_read": form.easy_read.data or "", "description": form.description.data or "",
        "starts_at": form.starts_at, "ends_at": form.ends_at,
        "place_name": form.place_name.data, "address": form.address.data or "",
        "latitude": form.latitude.data, "longitude": form.longitude.data,
        "accessibility": list(form.accessibility.data or ()),
        "organiser": form.organiser.data or "", "works_site_id": form.works_site.data,
        "news_article_id": form.news_article.data, "registration": form.registration.data,
        "capacity": form.capacity.data, "registration_deadline": form.deadline,
        "translations": translations_from(form),
    }


def _form_page(form, event):
    return render_template("events/admin/form.html", form=form, event=event,
                           action_form=ConfirmForm(),
                           can_validate=can_validate_event(current_user())), (
        422 if form.is_submitted() else 200)


@bp.route("/nouveau", methods=["GET", "POST"])
@permission_required(can_create_event)
def create():
    user = current_user()
    form = EventForm(user=user)
    if form.validate_on_submit():
        with unit_of_work():
            event = editing.create_event(user, _data(form))
            notify.submitted(event)
        flash(_("Rendez-vous envoyé à l’équipe projet : il sera publié après validation.")
              if is_team(user) else _("Rendez-vous publié."), "success")
        return redirect(url_for(".edit", event_id=event.id))
    return _form_page(form, None)


@bp.route("/<int:event_id>", methods=["GET", "POST"])
@permission_required(can_edit_event, load=event_or_404)
def edit(event: Event):
    user = current_user()
    form = EventForm(obj=event, user=user, event=event)
    if not form.is_submitted():
        start, end = local(event.starts_at), local(event.ends_at)
        form.quartier.data, form.day.data = event.quartier_id, start.date()
        form.start_time.data, form.end_time.data = start.time(), end.time()
        form.works_site.data, form.news_article.data = event.works_site_id, event.news_article_id
        if event.registration_deadline:
            form.registration_deadline.data = local(event.registration_deadline).replace(
                tzinfo=None)
        fill_translations(form, event.translations)
    if form.validate_on_submit():
        with unit_of_work():
            moved = editing.update_event(user, event, _data(form))
            if moved:
                notify.changed(event)
        flash(_("Rendez-vous enregistré."), "success")
        return redirect(url_for(".edit", event_id=event.id))
    return _form_page(form, event)


@bp.route("/<int:event_id>/valider", methods=["POST"])
@permission_required(can_validate_event, load=event_or_404)
def validate(event: Event):
    if ConfirmForm().validate_on_submit():
        with unit_of_work():
            editing.validate_event(current_user(), event)
            notify.validated(event)
        flash(_("Publié : les habitants le voient sur le site."), "success")
    return redirect(url_for(".edit", event_id=event.id))


@bp.route("/<int:event_id>/renvoyer", methods=["GET", "POST"])
@permission_required(can_validate_event, load=event_or_404)
def send_back(event: Event):
    form = ReturnForm()
    if event.publication_status is not PublicationStatus.PENDING:
        flash(_("Ce rendez-vous n’attend plus de décision."), "info")
        return redirect(url_for(".edit", event_id=event.id))
    if form.validate_on_submit():
        with unit_of_work():
            editing.return_event(current_user(), event, form.comment.data)
            notify.returned(event)
        flash(_("Renvoyé à l’équipe avec votre commentaire."), "success")
        return redirect(url_for("backoffice.validation_queue"))
    return render_template("events/admin/return.html", form=form, event=event), (
        422 if form.is_submitted() else 200)


@bp.route("/<int:event_id>/annuler", methods=["GET", "POST"])
@permission_required(can_edit_event, load=event_or_404)
def cancel(event: Event):
    form = CancelForm()
    if form.validate_on_submit():
        with unit_of_work():
            editing.cancel_event(current_user(), event, form.reason.data)
            event.translations = {**(event.translations or {}), **{
                lang: {**(event.translations or {}).get(lang, {}), "change_note": f["reason"]}
                for lang, f in translations_from(form).items()}}
            notify.cancelled(event)
        flash(_("Rendez-vous annulé : il reste sur l’agenda avec la raison."), "success")
        return redirect(url_for(".edit", event_id=event.id))
    return render_template("events/admin/cancel.html", form=form, event=event), (
        422 if form.is_submitted() else 200)


@bp.route("/<int:event_id>/dupliquer", methods=["POST"])
@permission_required(can_edit_event, load=event_or_404)
def duplicate(event: Event):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".edit", event_id=event.id))
    with unit_of_work():
        copy = editing.duplicate_event(current_user(), event)
        notify.submitted(copy)
    flash(_("Copie créée une semaine plus tard : vérifiez la date et enregistrez."), "success")
    return redirect(url_for(".edit", event_id=copy.id))


@bp.route("/<int:event_id>/compte-rendu", methods=["GET", "POST"])
@permission_required(can_edit_event, load=event_or_404)
def report(event: Event):
    form = ReportForm(obj=event)
    if not form.is_submitted():
        fill_translations(form, event.translations)
    if form.validate_on_submit():
        with unit_of_work():
            editing.record_report(current_user(), event, form.attendance.data,
                                  form.report.data or "", translations_from(form))
            notify.reported(event)
        flash(_("Compte rendu publié sur la page du rendez-vous."), "success")
        return redirect(url_for(".edit", event_id=event.id))
    return render_template("events/admin/report.html", form=form, event=event), (
        422 if form.is_submitted() else 200)


def _pending(user) -> list[QueueItem]:
    # One query (the quartier joined): the dashboard shows the count on every visit.
    query = (db.select(Event).options(joinedload(Event.quartier))
             .where(Event.publication_status == PublicationStatus.PENDING))
    if is_team(user):
        query = query.where(Event.quartier_id.in_(user.quartier_ids))
    return [QueueItem(_l("Rendez-vous"), event.title, event.quartier,
                      event.submitted_at or event.created_at,
                      url_for("events_admin.edit", event_id=event.id))
            for event in db.session.scalars(query)]


def register(reg: Registry) -> None:
    reg.add_menu("events_admin.index", _l("Rendez-vous"), 25, can_list_events)
    # No column in the dashboard's table: its budget of queries is spent (the queue's count
    # is the figure staff act on).
    reg.add_validation_queue("events", _pending)

