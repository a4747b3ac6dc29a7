"""Back-office pages about who comes: the registrants of an event (admin, project and the
teams of its quartier only), a printable sign-in sheet, a CSV, and registering someone who
phoned or came by, with the channel."""

import csv
import io

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..backoffice.auth import current_user, permission_required
from ..extensions import db
from ..phones import phone_display
from ..transaction import unit_of_work
from . import notify, registrations
from .admin import bp, event_or_404
from .editing import TRAIL
from .models import Channel, Event, Registration, RegistrationStatus
from .registration_forms import StaffRegistrationForm
from .rules import can_see_registrants
from .texts import CHANNELS, REGISTRATION_LABELS, need_labels


def registrants_of(event: Event) -> list[Registration]:
    return list(db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id)
        .order_by(Registration.status, Registration.created_at, Registration.id)))


@bp.route("/<int:event_id>/inscrits", methods=["GET", "POST"])
@permission_required(can_see_registrants, load=event_or_404)
def registrants(event: Event):
    form = StaffRegistrationForm(places_left=event.places_left)
    problem = None
    if form.validate_on_submit():
        try:
            with unit_of_work():
                outcome = registrations.register(
                    event, name=form.name.data, phone=form.phone.data or "",
                    email=form.email.data or "", people=form.people.data,
                    needs=form.needs.data or (), wants_news=form.wants_news.data,
                    channel=Channel(form.channel.data))
                if outcome.status != "already":
                    # The journal says who registered someone, never their contact details.
                    TRAIL.record(current_user(), "register", event, changes={
                        "channel": [None, outcome.registration.channel.value],
                        "people": [None, outcome.registration.people]})
                    notify.registered(outcome.registration)
        except registrations.RegistrationClosed:
            problem = _("Les inscriptions à ce rendez-vous sont fermées.")
        else:
            flash({"confirmed": _("Personne inscrite."),
                   "waiting": _("Complet : la personne est sur la liste d’attente."),
                   "already": _("Cette personne est déjà inscrite.")}[outcome.status],
                  "success")
            return redirect(url_for(".registrants", event_id=event.id))
    return render_template("events/admin/registrants.html", event=event, form=form,
                           rows=registrants_of(event), problem=problem,
                           closed=registrations.closed_reason(event),
                           labels=REGISTRATION_LABELS, channels=CHANNELS,
                           statuses=RegistrationStatus), (422 if form.is_submitted() else 200)


@bp.route("/<int:event_id>/emargement")
@permission_required(can_see_registrants, load=event_or_404)
def sign_in_sheet(event: Event):
    rows = [r for r in registrants_of(event) if r.status is RegistrationStatus.CONFIRMED]
    return render_template("events/admin/sign_in.html", event=event, rows=rows)


def _safe(cell):
    # A name typed by a resident must not become a formula in a spreadsheet.
    if isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + cell
    return cell


@bp.route("/<int:event_id>/inscrits.csv")
@permission_required(can_see_registrants, load=event_or_404)
def registrants_csv(event: Event):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Nom"), _("Téléphone"), _("E-mail"), _("Personnes"), _("Besoins"),
                     _("État"), _("Canal"), _("Inscrit le")])
    for r in registrants_of(event):
        writer.writerow([_safe(c) for c in (
            r.name, phone_display(r.phone) if r.phone else "", r.email, r.people,
            ", ".join(need_labels(r.needs)), str(REGISTRATION_LABELS[r.status]),
            str(CHANNELS[r.channel]), r.created_at.date().isoformat())])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="inscrits-{event.slug}.csv"',
        "Cache-Control": "no-store"})
