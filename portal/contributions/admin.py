"""Back-office pages of contributions: the list with its batch decisions (publish, or not
retained with one reason, for the ticked ones of the moderator's quartiers), one contribution
with its moderation (publish, publish after editing out personal data, not retained with a
reason, hide, mark as the duplicate of another), its supports and abuse reports, the official
answer, the follow-up steps (passed to a partner, en cours, résolu), and recording a report
for someone who phoned or came by. New ones, and those taken off the site by abuse reports,
wait in the one validation queue."""

from dataclasses import dataclass
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from .. import clock
from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.rules import is_team
from ..extensions import db
from ..pagination import requested_page
from ..publication import PublicationStatus, TransitionError
from ..quartiers import Quartier, all_quartiers
from ..registry import QueueItem, Registry
from ..transaction import unit_of_work
from . import editing, notify, queries, screening
from .forms import (
    AnswerForm,
    BatchForm,
    DuplicateForm,
    FollowUpForm,
    HideForm,
    PublishForm,
    RejectForm,
    StaffContributionForm,
)
from .models import Channel, Contribution, ContributionAbuseReport, Status
from .rules import (
    can_edit_reject_reasons,
    can_list_contributions,
    can_moderate_contribution,
    can_record_contribution,
)
from .texts import ABUSE_REASONS, CHANNELS, template_helpers

bp = Blueprint("contributions_admin", __name__, url_prefix="/admin/contributions")
bp.context_processor(template_helpers)

contribution_or_404 = row_loader(Contribution, "contribution_id", Contribution.quartier,
                                 Contribution.updates, Contribution.contact,
                                 Contribution.reject_reason)
STALE_DAYS = 21  # reports without news for longer are listed on the dashboard


def _visible(user):
    query = db.select(Contribution).options(selectinload(Contribution.quartier))
    if is_team(user):
        query = query.where(Contribution.quartier_id.in_(user.quartier_ids))
    return query


def _list_page(status: int = 200, batch_form: BatchForm | None = None):
    wanted = request.args.get("statut")
    chosen = next((s for s in PublicationStatus if s.value == wanted), None)
    query = _visible(current_user()).order_by(Contribution.submitted_at.desc(),
                                              Contribution.id.desc())
    if chosen is not None:
        query = query.where(Contribution.publication_status == chosen)
    page = db.paginate(query, page=requested_page(), per_page=50, error_out=True)
    return render_template("contributions/admin/index.html", page=page, status=chosen,
                           statuses=list(PublicationStatus), stale=stale(current_user()),
                           batch_form=batch_form or BatchForm(prefix="lot", formdata=None),
                           PENDING=PublicationStatus.PENDING), status


@bp.route("/")
@permission_required(can_list_contributions)
def index():
    return _list_page()


@bp.route("/lot", methods=["POST"])
@permission_required(can_list_contributions)
def batch():
    """The ticked contributions published, or not retained with one reason: each decision
    in the journal and told to its author. One id outside the moderator's quartiers (or
    unknown) refuses the whole batch; those already decided meanwhile are left as they are."""
    form = BatchForm(prefix="lot")
    if not form.validate_on_submit():
        return _list_page(422, form)
    user = current_user()
    ids = set(form.ids.data)
    rows = list(db.session.scalars(db.select(Contribution).where(Contribution.id.in_(ids))
                                   .options(selectinload(Contribution.contact))))
    if len(rows) != len(ids) or not all(can_moderate_contribution(user, r) for r in rows):
        abort(403)
    waiting = [r for r in rows if r.publication_status is PublicationStatus.PENDING]
    with unit_of_work():
        for row in waiting:
            if form.action.data == "publish":
                editing.publish_contribution(user, row)
                notify.tell_author(row, "published", row.decided_at.isoformat())
            else:
                editing.reject(user, row, form.chosen())
                notify.tell_author(row, "rejected", row.decided_at.isoformat())
    flash(ngettext("%(num)d contribution décidée.", "%(num)d contributions décidées.",
                   len(waiting)), "success")
    if len(waiting) < len(rows):
        flash(ngettext("%(num)d n’attendait plus de décision : laissée telle quelle.",
                       "%(num)d n’attendaient plus de décision : laissées telles quelles.",
                       len(rows) - len(waiting)), "info")
    return redirect(url_for(".index", statut=PublicationStatus.PENDING.value))


def _forms(contribution):
    return {"publish_form": PublishForm(prefix="publier", text=contribution.text),
            "reject_form": RejectForm(prefix="refus"),
            "answer_form": AnswerForm(prefix="reponse", answer=contribution.answer),
            "follow_form": FollowUpForm(prefix="suivi"), "hide_form": HideForm(prefix="masquer"),
            "duplicate_form": DuplicateForm(prefix="doublon")}


def _abuse_reports(contribution) -> list[tuple[str, int]]:
    query = (db.select(ContributionAbuseReport.reason, db.func.count())
             .where(ContributionAbuseReport.contribution_id == contribution.id)
             .group_by(ContributionAbuseReport.reason))
    return [(str(ABUSE_REASONS.get(reason, reason)), n)
            for reason, n in db.session.execute(query)]


def _page(contribution, status=200, **forms):
    return render_template(
        "contributions/admin/detail.html", contribution=contribution, channels=CHANNELS,
        supports=queries.support_counts([contribution.id]).get(contribution.id, 0),
        abuse_reports=_abuse_reports(contribution), signals=screening.signals(contribution),
        can_edit_reasons=can_edit_reject_reasons(current_user()),
        **{**_forms(contribution), **forms}), status


@bp.route("/<int:contribution_id>")
@permission_required(can_moderate_contribution, load=contribution_or_404)
def detail(contribution: Contribution):
    return _page(contribution)


@bp.route("/<int:contribution_id>/publier", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def publish(contribution: Contribution):
    form = PublishForm(prefix="publier")
    if not form.validate_on_submit():
        return _page(contribution, 422, publish_form=form)
    with unit_of_work():
        editing.publish_contribution(current_user(), contribution, form.text.data)
        notify.tell_author(contribution, "published", contribution.decided_at.isoformat())
    flash(_("Publié : les habitants le voient sur le site."), "success")
    return redirect(url_for(".detail", contribution_id=contribution.id))


@bp.route("/<int:contribution_id>/refuser", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def reject(contribution: Contribution):
    form = RejectForm(prefix="refus")
    if not form.validate_on_submit():
        return _page(contribution, 422, reject_form=form)
    with unit_of_work():
        editing.reject(current_user(), contribution, form.chosen())
        notify.tell_author(contribution, "rejected", contribution.decided_at.isoformat())
    flash(_("Non retenu : la personne est prévenue si elle a laissé un contact."), "success")
    return redirect(url_for("backoffice.validation_queue"))


@bp.route("/<int:contribution_id>/masquer", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def hide(contribution: Contribution):
    form = HideForm(prefix="masquer")
    if not form.validate_on_submit():
        return _page(contribution, 422, hide_form=form)
    try:
        with unit_of_work():
            editing.hide_contribution(current_user(), contribution, form.reason.data)
    except TransitionError:
        flash(_("Seule une contribution publiée peut être masquée."), "info")
    return redirect(url_for(".detail", contribution_id=contribution.id))


@bp.route("/<int:contribution_id>/doublon", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def duplicate(contribution: Contribution):
    """Already reported in another one: followed there, with its supports."""
    form = DuplicateForm(prefix="doublon")
    target = _duplicate_target(form, contribution) if form.validate_on_submit() else None
    if target is None:
        return _page(contribution, 422, duplicate_form=form)
    with unit_of_work():
        root = editing.mark_duplicate(current_user(), contribution, target)
        notify.tell_author(contribution, "duplicate", str(root.id))
    flash(_("Marquée comme doublon de la contribution n° %(number)d : ses soutiens l’ont "
            "rejointe.", number=root.id), "success")
    return redirect(url_for(".detail", contribution_id=root.id))


def _duplicate_target(form: DuplicateForm, contribution: Contribution) -> Contribution | None:
    """The contribution typed, if this moderator may link to it; else an error by the field."""
    error = None
    found = db.session.get(Contribution, form.target.data)
    root = editing.root_of(found) if found is not None else None
    if contribution.duplicate_of_id is not None:
        error = _("Elle est déjà marquée comme doublon.")
    elif root is None or not can_moderate_contribution(current_user(), root):
        error = _("Aucune contribution n° %(number)d dans vos quartiers.",
                  number=form.target.data)
    elif root.id == contribution.id:
        error = _("C’est la même contribution : donnez le numéro de l’autre.")
    elif root.publication_status not in (PublicationStatus.PUBLISHED,
                                         PublicationStatus.PENDING):
        error = _("Choisissez une contribution publiée ou qui attend la modération.")
    if error:
        form.target.errors = [*form.target.errors, error]
        return None
    return root


@bp.route("/<int:contribution_id>/repondre", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def answer(contribution: Contribution):
    form = AnswerForm(prefix="reponse")
    if not form.validate_on_submit():
        return _page(contribution, 422, answer_form=form)
    with unit_of_work():
        editing.answer(current_user(), contribution, form.answer.data)
        notify.tell_author(contribution, "answered", contribution.answered_at.isoformat())
    flash(_("Réponse publiée."), "success")
    return redirect(url_for(".detail", contribution_id=contribution.id))


@bp.route("/<int:contribution_id>/suivi", methods=["POST"])
@permission_required(can_moderate_contribution, load=contribution_or_404)
def follow_up(contribution: Contribution):
    form = FollowUpForm(prefix="suivi")
    if not form.validate_on_submit():
        return _page(contribution, 422, follow_form=form)
    with unit_of_work():
        status = Status(form.status.data)
        editing.follow_up(current_user(), contribution, status,
                          partner=form.partner.data or "", note=form.note.data or "")
        step = editing.last_resolution(contribution) if status is Status.RESOLVED else None
        # Résolu: "Est-ce réglé ?", its "non" reopens it; any other step: the news.
        if step is None or not notify.ask_settled(contribution, step):
            notify.tell_author(contribution, "status", str(len(contribution.updates)))
    flash(_("Étape enregistrée."), "success")
    return redirect(url_for(".detail", contribution_id=contribution.id))


@bp.route("/nouvelle", methods=["GET", "POST"])
@permission_required(can_record_contribution)
def record():
    """A report for someone who phoned or came to the Maison Mobile (channel recorded)."""
    user = current_user()
    quartiers = [q for q in all_quartiers()
                 if not is_team(user) or q.id in user.quartier_ids]
    form = StaffContributionForm(quartiers=quartiers)
    if form.validate_on_submit():
        quartier = db.session.scalar(db.select(Quartier).filter_by(slug=form.quartier.data))
        latitude, longitude = form.coordinates()
        with unit_of_work():
            outcome = editing.submit(
                {"quartier_id": quartier.id, "kind": form.kind.data,
                 "category": form.category.data if form.kind.data == "report" else "",
                 "text": form.text.data, "place": form.place.data, "latitude": latitude,
                 "longitude": longitude}, key=form.key.data, photo=form.photo.prepared,
                phone=form.phone.data or "", email=form.email.data or "",
                channel=Channel(form.channel.data), actor=user)
        flash(_("Contribution enregistrée : elle attend la modération."), "success")
        return redirect(url_for(".detail", contribution_id=outcome.contribution.id))
    form.photo.ask_again()
    return render_template("contributions/admin/record.html", form=form,
                           tile_url=current_app.config["TILE_URL"]), (
        422 if form.is_submitted() else 200)


@dataclass(frozen=True)
class QuartierName:
    """What the queue shows of an item's quartier."""

    name: str


def _pending(user) -> list[QueueItem]:
    # Columns only (a quartier's JSON columns are not decoded 5,000 times), one query,
    # one link built: thousands of
    # waiting items must not cost thousands of objects (the dashboard counts them on every
    # visit; the benchmark has 5,000).
    query = (db.select(Contribution.id, Contribution.submitted_at, Quartier.name,
                       Contribution.screening_score)
             .join(Quartier, Contribution.quartier_id == Quartier.id)
             .where(Contribution.publication_status == PublicationStatus.PENDING))
    if is_team(user):
        query = query.where(Contribution.quartier_id.in_(user.quartier_ids))
    prefix = url_for("contributions_admin.detail", contribution_id=0).removesuffix("0")
    kind = _l("Contribution")
    return [QueueItem(kind, f"Contribution n° {cid}", QuartierName(name), submitted_at,
                      f"{prefix}{cid}", score=score or 0, unscored=score is None)
            for cid, submitted_at, name, score in db.session.execute(query)]


def stale(user) -> list[Contribution]:
    """Published reports, not closed, without news for STALE_DAYS (listed above the others:
    the dashboard's budget of queries is spent)."""
    limit = clock.utcnow() - timedelta(days=STALE_DAYS)
    query = _visible(user).where(Contribution.is_published,
                                 Contribution.status.not_in([Status.RESOLVED,
                                                             Status.NOT_RETAINED]),
                                 Contribution.last_news_at < limit)
    return list(db.session.scalars(query.order_by(Contribution.last_news_at).limit(20)))


def register(reg: Registry) -> None:
    reg.add_menu("contributions_admin.index", _l("Contributions"), 27, can_list_contributions)
    reg.add_menu("contributions_admin.reasons", _l("Raisons de non-publication"), 28,
                 can_edit_reject_reasons)
    reg.add_validation_queue("contributions", _pending)
