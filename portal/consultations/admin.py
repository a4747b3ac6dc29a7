"""Back-office pages of concertations: campaigns and their questionnaire, preview, answers
entered by staff (paper, phone, Maison Mobile, workshop), results, export, moderation of
free-text answers, printed codes."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.pages import add_publication_routes, confirm_delete
from ..backoffice.rules import is_team
from ..extensions import db
from ..publication import PublicationStatus
from ..registry import DashboardBlock, Registry
from ..transaction import unit_of_work
from . import editing, export, places
from .answering import questions_of, read_answers
from .forms import CampaignForm, CodesForm, QuestionForm, SectionForm
from .models import (
    CONDITION_KINDS,
    Campaign,
    Channel,
    Question,
    ResultsVisibility,
    Section,
    TextAnswer,
    consultation_quartier,
)
from .models import CountingMode as Mode
from .queries import state, with_questionnaire
from .results import compute
from .rules import can_edit_campaign, can_enter_answers, can_moderate_answers, can_read_results
from .views import channel_labels, filters, new_key, questionnaire_page

bp = Blueprint("consultations_admin", __name__, url_prefix="/admin/concertations")


def campaign_or_404(**values) -> Campaign:
    campaign = db.session.get(Campaign, values["campaign_id"],
                              options=[with_questionnaire(), selectinload(Campaign.quartiers)])
    if campaign is None:
        abort(404)
    return campaign


section_or_404 = row_loader(Section, "section_id")
question_or_404 = row_loader(Question, "question_id", Question.options)
text_or_404 = row_loader(TextAnswer, "text_id")


@bp.route("/")
@permission_required(can_enter_answers)
def index():
    query = (db.select(Campaign).options(selectinload(Campaign.quartiers))
             .order_by(Campaign.opens_at.desc()))
    user = current_user()
    if is_team(user):  # a team sees the campaigns of its own quartiers
        query = query.where(Campaign.quartiers.any(
            consultation_quartier.c.quartier_id.in_(user.quartier_ids)))
    return render_template("consultations/admin/index.html",
                           campaigns=db.session.scalars(query).all(), state=state,
                           can_edit=can_edit_campaign(user))


def _campaign_data(form: CampaignForm) -> dict:
    data = {name: getattr(form, name).data for name in editing.CAMPAIGN_EDITABLE}
    data.update(quartier_ids=form.quartiers.data, translations=translations_from(form),
                opens_at=form.opens_at(), closes_at=form.closes_at(),
                results_visibility=ResultsVisibility(form.results_visibility.data),
                counting_mode=Mode(form.counting_mode.data))
    return data


@bp.route("/nouvelle", methods=["GET", "POST"])
@permission_required(can_edit_campaign)
def create():
    form = CampaignForm()
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            campaign = editing.create_campaign(current_user(), _campaign_data(form))
        flash(_("Concertation enregistrée comme brouillon."), "success")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return _campaign_page(form, None)


@bp.route("/<int:campaign_id>", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=campaign_or_404)
def edit(campaign: Campaign):
    form = CampaignForm(obj=campaign)
    if not form.is_submitted():
        form.fill(campaign)
        fill_translations(form, campaign.translations)
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            editing.update_campaign(current_user(), campaign, _campaign_data(form))
        flash(_("Concertation enregistrée."), "success")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return _campaign_page(form, campaign)


def _campaign_page(form, campaign):
    previewing = form.is_submitted() and form.preview.data
    status = 200 if not form.is_submitted() or (previewing and not form.errors) else 422
    return render_template(
        "consultations/admin/form.html", form=form, campaign=campaign, previewing=previewing,
        action_form=ConfirmForm(), section_form=SectionForm(prefix="partie"),
        has_responses=campaign is not None and editing.has_responses(campaign)), status


@bp.route("/<int:campaign_id>/apercu")
@permission_required(can_edit_campaign, load=campaign_or_404)
def preview(campaign: Campaign):
    """The campaign and its questionnaire as residents will see it, even as a draft."""
    page, status = questionnaire_page(campaign, preview=True)
    return page, status


def _set_published(actor, campaign, published):
    with unit_of_work():
        editing.set_published(actor, campaign, published)


add_publication_routes(bp, "/<int:campaign_id>", permission=can_edit_campaign,
                       load=campaign_or_404, change=_set_published,
                       done_url=lambda campaign: url_for(".edit", campaign_id=campaign.id))


def _delete(actor, campaign):
    with unit_of_work():
        editing.delete_campaign(actor, campaign)


@bp.route("/<int:campaign_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=campaign_or_404)
def delete(campaign: Campaign):
    if editing.has_responses(campaign):
        flash(_("Cette concertation a des réponses : elle ne peut pas être supprimée. "
                "Retirez-la du site si besoin."), "error")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return confirm_delete(_delete, campaign, item=campaign.title,
                          message=_("Concertation supprimée."), done_url=url_for(".index"),
                          cancel_url=url_for(".edit", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/parties", methods=["POST"])
@permission_required(can_edit_campaign, load=campaign_or_404)
def add_section(campaign: Campaign):
    form = SectionForm(prefix="partie")
    if form.validate_on_submit():
        with unit_of_work():
            editing.add_section(current_user(), campaign, {
                "title": form.title.data, "intro": form.intro.data,
                "translations": translations_from(form)})
        flash(_("Partie ajoutée."), "success")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return render_template(
        "consultations/admin/form.html", form=_filled_campaign_form(campaign),
        campaign=campaign, previewing=False, action_form=ConfirmForm(), section_form=form,
        has_responses=editing.has_responses(campaign)), 422


def _filled_campaign_form(campaign):
    form = CampaignForm(obj=campaign, formdata=None)
    form.fill(campaign)
    fill_translations(form, campaign.translations)
    return form


def _condition_choices(campaign: Campaign, before: Question | None):
    """Options of earlier choice questions (a condition refers only to an earlier answer)."""
    choices = []
    for question in questions_of(campaign):
        if before is not None and question.id == before.id:
            break
        if question.kind in CONDITION_KINDS:
            choices.extend((str(option.id), f"{question.label} → {option.label}")
                           for option in question.visible_options)
    return choices


@bp.route("/parties/<int:section_id>/questions", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=section_or_404)
def add_question(section: Section):
    campaign = campaign_or_404(campaign_id=section.campaign_id)
    form = QuestionForm(condition_choices=_condition_choices(campaign, None))
    if form.validate_on_submit():
        with unit_of_work():
            editing.add_question(current_user(), section, form.data_dict())
        flash(_("Question ajoutée."), "success")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return _question_page(form, campaign, None, section)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=question_or_404)
def edit_question(question: Question):
    campaign = campaign_or_404(campaign_id=question.campaign_id)
    form = QuestionForm(obj=question, condition_choices=_condition_choices(campaign, question))
    locked = editing.question_has_answers(question)
    if not form.is_submitted():
        form.kind.data = question.kind.value
        form.condition.data = str(question.condition_option_id or "")
        form.options.data = "\n".join(("* " if o.is_other else "") + o.label
                                      + places.point_text(o)
                                      for o in question.visible_options)
        fill_translations(form, question.translations)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                editing.update_question(current_user(), question, form.data_dict())
        except editing.Locked:
            form.kind.errors = [_("Cette question a des réponses : son type ne peut plus "
                                  "changer.")]
            return _question_page(form, campaign, question, question.section, locked)
        flash(_("Question enregistrée."), "success")
        return redirect(url_for(".edit", campaign_id=campaign.id))
    return _question_page(form, campaign, question, question.section, locked)


def _question_page(form, campaign, question, section, locked=False):
    return render_template("consultations/admin/question.html", form=form, campaign=campaign,
                           question=question, section=section, locked=locked), \
        422 if form.is_submitted() else 200


def _delete_question(actor, question):
    with unit_of_work():
        editing.delete_question(actor, question)


@bp.route("/questions/<int:question_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=question_or_404)
def delete_question(question: Question):
    back = url_for(".edit", campaign_id=question.campaign_id)
    if editing.question_has_answers(question):
        flash(_("Cette question a des réponses : elle ne peut pas être supprimée."), "error")
        return redirect(back)
    return confirm_delete(_delete_question, question, item=question.label,
                          message=_("Question supprimée."), done_url=back)


@bp.route("/<int:campaign_id>/saisie", methods=["GET", "POST"])
@permission_required(can_enter_answers, load=campaign_or_404)
def entry(campaign: Campaign):
    """Answers collected on paper, by phone, at the Maison Mobile or in a workshop."""
    labels = channel_labels()
    channels = [c for c in Channel if c is not Channel.ONLINE]
    if request.method == "GET":
        return render_template("consultations/admin/entry.html", campaign=campaign,
                               parsed=None, values=None, errors={}, key=new_key(),
                               channels=channels, labels=labels, channel=None,
                               action_form=ConfirmForm())
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    parsed = read_answers(campaign, request.form)
    channel = next((c for c in channels if c.value == request.form.get("canal")), None)
    if channel is None:
        parsed.errors["canal"] = _("Choisissez comment ces réponses ont été recueillies.")
    key = request.form.get("cle", "")
    if not parsed.ok or not key:
        return render_template("consultations/admin/entry.html", campaign=campaign,
                               parsed=parsed, values=parsed.values, errors=parsed.errors,
                               key=key or new_key(), channels=channels, labels=labels,
                               channel=channel, action_form=form), 422
    if not editing.already_recorded(campaign, key):
        try:
            with unit_of_work():
                editing.record_response(campaign, parsed, key=key, channel=channel,
                                        actor=current_user())
        except Exception as error:  # the same form sent twice at once: recorded once
            from sqlalchemy.exc import IntegrityError

            if not isinstance(error, IntegrityError):
                raise
    flash(_("Réponses enregistrées. Vous pouvez saisir le questionnaire suivant."), "success")
    return redirect(url_for(".entry", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/resultats")
@permission_required(can_read_results, load=campaign_or_404)
def results(campaign: Campaign):
    channel, option_id = filters()
    flagged = db.session.scalar(db.select(func.count()).where(
        editing.Response.campaign_id == campaign.id, editing.Response.flagged))
    return render_template("consultations/admin/results.html", campaign=campaign,
                           results=compute(campaign, channel, option_id), channel=channel,
                           option_id=option_id, CHANNELS=channel_labels(), flagged=flagged,
                           Channel=Channel)


@bp.route("/<int:campaign_id>/export.csv")
@permission_required(can_read_results, load=campaign_or_404)
def export_csv(campaign: Campaign):
    return Response(
        export.csv_chunks(export.plan(campaign), db.engine), mimetype="text/csv",
        headers={"Content-Disposition":
                 f'attachment; filename="concertation-{campaign.slug}.csv"'})


@bp.route("/<int:campaign_id>/export.xlsx")
@permission_required(can_read_results, load=campaign_or_404)
def export_xlsx(campaign: Campaign):
    return Response(
        export.xlsx_chunks(export.plan(campaign), db.engine),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition":
                 f'attachment; filename="concertation-{campaign.slug}.xlsx"'})


@bp.route("/<int:campaign_id>/textes")
@permission_required(can_moderate_answers, load=campaign_or_404)
def texts(campaign: Campaign):
    status = request.args.get("statut", PublicationStatus.PENDING.value)
    if status not in {s.value for s in PublicationStatus}:
        status = PublicationStatus.PENDING.value
    rows = db.session.scalars(
        db.select(TextAnswer).join(Question, Question.id == TextAnswer.question_id)
        .where(Question.campaign_id == campaign.id,
               TextAnswer.publication_status == PublicationStatus(status))
        .options(selectinload(TextAnswer.question)).order_by(TextAnswer.id).limit(200)).all()
    return render_template("consultations/admin/texts.html", campaign=campaign, texts=rows,
                           status=status, action_form=ConfirmForm(), Status=PublicationStatus)


@bp.route("/textes/<int:text_id>", methods=["POST"])
@permission_required(can_moderate_answers, load=text_or_404)
def decide_text(text: TextAnswer):
    form = ConfirmForm()
    campaign_id = db.session.get(Question, text.question_id).campaign_id
    if form.validate_on_submit():
        approve = request.form.get("decision") == "publier"
        try:
            with unit_of_work():
                editing.moderate_text(current_user(), text, approve,
                                      (request.form.get("motif") or "").strip()[:500])
        except ValueError:  # a decision that does not apply to its state: nothing done
            flash(_("Cette réponse a déjà été traitée."), "error")
        else:
            flash(_("Réponse publiée.") if approve else _("Réponse écartée."), "success")
    return redirect(url_for(".texts", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/codes", methods=["GET", "POST"])
@permission_required(can_edit_campaign, load=campaign_or_404)
def codes(campaign: Campaign):
    """Printed codes: generated here, shown once on a printable sheet (only hashes stay)."""
    form = CodesForm()
    generated = []
    if form.validate_on_submit():
        with unit_of_work():
            generated = editing.generate_codes(current_user(), campaign, form.nombre.data)
    return render_template("consultations/admin/codes.html", campaign=campaign, form=form,
                           generated=generated), 422 if form.errors else 200


def _pending_texts(user):
    return db.session.execute(
        db.select(Campaign, func.count(TextAnswer.id))
        .join(Question, Question.campaign_id == Campaign.id)
        .join(TextAnswer, TextAnswer.question_id == Question.id)
        .where(TextAnswer.publication_status == PublicationStatus.PENDING)
        .group_by(Campaign.id).order_by(Campaign.closes_at)).all()


def register(reg: Registry) -> None:
    reg.add_menu("consultations_admin.index", _l("Concertations"), 40, can_enter_answers)
    # No count per quartier on the dashboard: its page keeps within its query budget
    # (tests/backoffice/test_rules.py); the campaigns list says where each one runs.
    reg.add_dashboard_block(DashboardBlock(
        "consultation-texts", 40, _l("Réponses libres à relire"),
        "consultations/admin/_pending.html", _pending_texts, can_moderate_answers))
