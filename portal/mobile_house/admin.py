"""Back-office pages of the Maison Mobile: visits (project team) and cancellations of one
occurrence with a reason (neighbourhood teams too, for their own quartiers)."""

from collections import Counter
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from .. import clock
from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.pages import confirm_delete
from ..backoffice.rules import is_team
from ..extensions import db
from ..quartiers import Quartier
from ..registry import DashboardBlock, QuartierCount, Registry
from ..transaction import unit_of_work
from . import editing, queries, recurrence
from .forms import CancelForm, PeopleReceivedForm, VisitForm
from .models import SchoolHoliday, Visit, VisitCancellation, VisitReport
from .rules import can_cancel_visit, can_edit_visit, can_list_visits, can_record_visit
from .summary import day_words, describe, parse_simple_rule
from .texts import template_helpers

bp = Blueprint("mobile_house_admin", __name__, url_prefix="/admin/maison-du-projet")
bp.context_processor(template_helpers)  # the domain\'s words, in its pages only


visit_or_404 = row_loader(Visit, "visit_id", Visit.cancellations, Visit.quartier)
cancellation_or_404 = row_loader(VisitCancellation, "cancellation_id")


def visible_visits(user) -> list[Visit]:
    """Every visit for the project team; a neighbourhood team's own quartiers only."""
    query = (db.select(Visit).options(selectinload(Visit.cancellations),
                                      selectinload(Visit.quartier))
             .join(Quartier).order_by(Quartier.position, Visit.starts_on))
    if is_team(user):
        query = query.where(Visit.quartier_id.in_(user.quartier_ids))
    return list(db.session.scalars(query))


@bp.route("/")
@permission_required(can_list_visits)
def index():
    user = current_user()
    return render_template("mobile_house/admin/index.html", visits=visible_visits(user),
                           can_edit=can_edit_visit(user))


def _data(form: VisitForm) -> dict:
    data = {name: getattr(form, name).data for name in (
        "place_name", "address", "latitude", "longitude", "starts_on", "ends_on", "start_time",
        "end_time", "skip_school_holidays", "themes", "partners", "description", "published")}
    data.update(quartier_id=form.quartier.data, rrule=form.rule,
                exception_dates=form.parsed_exceptions, translations=translations_from(form))
    return data


def _form_page(form: VisitForm, visit: Visit | None):
    previewing = form.is_submitted() and form.preview.data
    summary = None
    if previewing and not form.errors:
        # The sentence the saved visit would get, without saving anything.
        draft = Visit(**{k: v for k, v in _data(form).items()
                         if k not in ("published", "partners", "exception_dates")})
        draft.exception_dates = [d.isoformat() for d in form.parsed_exceptions]
        summary = describe(draft)
    status = 200 if not form.is_submitted() or (previewing and not form.errors) else 422
    return render_template("mobile_house/admin/form.html", form=form, visit=visit,
                           summary=summary), status


@bp.route("/nouveau", methods=["GET", "POST"])
@permission_required(can_edit_visit)
def create():
    form = VisitForm(user=current_user())
    if form.validate_on_submit() and not form.preview.data:
        quartier = db.session.get(Quartier, form.quartier.data)
        with unit_of_work():
            visit = editing.create_visit(current_user(), _data(form), quartier.slug)
        flash(_("Passage enregistré : %(summary)s.", summary=describe(visit)), "success")
        return redirect(url_for("mobile_house_admin.index"))
    return _form_page(form, None)


@bp.route("/<int:visit_id>", methods=["GET", "POST"])
@permission_required(can_edit_visit, load=visit_or_404)
def edit(visit: Visit):
    form = VisitForm(obj=visit, user=current_user())
    if not form.is_submitted():
        kind, days = parse_simple_rule(visit.rrule)
        form.quartier.data, form.kind.data, form.weekdays.data = visit.quartier_id, kind, days
        form.custom_rule.data = visit.rrule if kind == "custom" else ""
        form.published.data = visit.is_published
        fill_translations(form, visit.translations)
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            editing.update_visit(current_user(), visit, _data(form))
        flash(_("Passage enregistré : %(summary)s.", summary=describe(visit)), "success")
        return redirect(url_for("mobile_house_admin.index"))
    return _form_page(form, visit)


@bp.route("/<int:visit_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_visit, load=visit_or_404)
def delete(visit: Visit):
    count = len(visit.cancellations)
    warning = ngettext("Son annulation (avec sa raison) sera supprimée avec lui.",
                       "Ses %(num)d annulations (avec leur raison) seront supprimées avec lui.",
                       count) if count else None
    return confirm_delete(editing.delete_visit, visit, item=visit.place_name,
                          message=_("Passage supprimé."), warning=warning,
                          done_url=url_for("mobile_house_admin.index"))


def _open_days(visit: Visit, weeks: int = 26) -> list:
    """Coming occurrences that can still be cancelled (not over, not cancelled yet)."""
    today = clock.today()
    found = recurrence.expand_visits([visit], queries.school_holidays(), today,
                                     today + timedelta(weeks=weeks))
    return [occ.day for occ in found if not occ.cancelled]


@bp.route("/<int:visit_id>/annuler", methods=["GET", "POST"])
@permission_required(can_cancel_visit, load=visit_or_404)
def cancel(visit: Visit):
    form = CancelForm()
    days = _open_days(visit)
    form.occurs_on.choices = [(d.isoformat(), visit_day_label(d)) for d in days]
    if form.validate_on_submit():
        chosen = next(d for d in days if d.isoformat() == form.occurs_on.data)
        with unit_of_work():
            editing.cancel_occurrence(current_user(), visit, chosen, form.reason.data,
                                      translations_from(form))
        flash(_("Passage du %(day)s annulé ; la raison est affichée sur le site.",
                day=visit_day_label(chosen)), "success")
        return redirect(url_for("mobile_house_admin.index"))
    return render_template("mobile_house/admin/cancel.html", form=form, visit=visit,
                           restore_form=ConfirmForm(prefix="restore")), (
        422 if form.is_submitted() else 200)


@bp.route("/annulations/<int:cancellation_id>/retablir", methods=["POST"])
@permission_required(can_cancel_visit, load=cancellation_or_404)
def restore(cancellation: VisitCancellation):
    visit_id = cancellation.visit_id
    if ConfirmForm(prefix="restore").validate_on_submit():
        with unit_of_work():
            editing.restore_occurrence(current_user(), cancellation)
        flash(_("Le passage a lieu de nouveau."), "success")
    return redirect(url_for("mobile_house_admin.cancel", visit_id=visit_id))


def _recent_days(visit: Visit, weeks: int = 8) -> list:
    """Passages held lately (today's included): the ones a team may still count."""
    today = clock.today()
    found = recurrence.expand_visits([visit], queries.school_holidays(),
                                     today - timedelta(weeks=weeks), today + timedelta(days=1))
    return [occ.day for occ in reversed(found) if not occ.cancelled]


@bp.route("/<int:visit_id>/personnes-recues", methods=["GET", "POST"])
@permission_required(can_record_visit, load=visit_or_404)
def people_received(visit: Visit):
    form = PeopleReceivedForm()
    days = _recent_days(visit)
    form.occurs_on.choices = [(d.isoformat(), visit_day_label(d)) for d in days]
    if form.validate_on_submit():
        chosen = next(d for d in days if d.isoformat() == form.occurs_on.data)
        with unit_of_work():
            editing.record_people_received(current_user(), visit, chosen,
                                           form.people_received.data)
        flash(ngettext("Passage du %(day)s : %(num)d personne reçue, enregistré.",
                       "Passage du %(day)s : %(num)d personnes reçues, enregistré.",
                       form.people_received.data, day=visit_day_label(chosen)), "success")
        return redirect(url_for("mobile_house_admin.people_received", visit_id=visit.id))
    recorded = list(db.session.scalars(
        db.select(VisitReport).filter_by(visit_id=visit.id)
        .order_by(VisitReport.occurs_on.desc()).limit(20)))
    return render_template("mobile_house/admin/people_received.html", form=form, visit=visit,
                           recorded=recorded), (422 if form.is_submitted() else 200)


def visit_day_label(day) -> str:
    return day_words(day, "EEEE d MMMM y")


def _coming_week(user):
    today = clock.today()
    found = queries.occurrences(today, today + timedelta(days=8))
    if is_team(user):
        found = [occ for occ in found if occ.visit.quartier_id in user.quartier_ids]
    return found


def _past_known_holidays(user) -> list[tuple[Visit, object]]:
    """Series "sauf vacances scolaires" that run past the last holiday content/ lists: after
    that date they would be shown during the holidays. [(visit, last known day)]."""
    known_until = db.session.scalar(db.select(func.max(SchoolHoliday.last_day)))
    query = (db.select(Visit).options(selectinload(Visit.quartier))
             .where(Visit.is_published, Visit.skip_school_holidays,
                    Visit.ends_on >= clock.today())
             .order_by(Visit.ends_on, Visit.slug))
    if known_until is not None:
        query = query.where(Visit.ends_on > known_until)
    if is_team(user):
        query = query.where(Visit.quartier_id.in_(user.quartier_ids))
    return [(visit, known_until) for visit in db.session.scalars(query)]


def _coming_per_quartier() -> dict[int, int]:
    today = clock.today()
    return dict(Counter(occ.visit.quartier_id for occ in queries.occurrences(
        today, today + timedelta(days=29)) if not occ.cancelled))


def register(reg: Registry) -> None:
    reg.add_menu("mobile_house_admin.index", _l("Maison Mobile"), 20, can_list_visits)
    reg.add_dashboard_block(DashboardBlock(
        "visits-week", 20, _l("Passages de la Maison Mobile cette semaine"),
        "mobile_house/admin/_week.html", _coming_week, can_list_visits,
    ))
    reg.add_dashboard_block(DashboardBlock(
        "visits-holidays", 22, _l("Vacances scolaires à compléter"),
        "mobile_house/admin/_holidays.html", _past_known_holidays, can_list_visits,
    ))
    reg.add_quartier_count(QuartierCount(
        "visits", 20, _l("Passages de la Maison Mobile (4 semaines)"), _coming_per_quartier,
    ))
