"""Back-office pages of the directory: structures and their services (project team), edited
as data·inclusion records with the schema's vocabularies as choices."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from .. import clock, phones
from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.pages import add_publication_routes, confirm_delete
from ..extensions import db
from ..publication import PublicationStatus
from ..registry import DashboardBlock, Registry
from ..transaction import unit_of_work
from . import editing, hours
from .forms import ServiceForm, StructureForm
from .models import Service, Structure
from .rules import can_edit_directory
from .texts import template_helpers

bp = Blueprint("directory_admin", __name__, url_prefix="/admin/offre")
bp.context_processor(template_helpers)  # the domain\'s words, in its pages only

PLACE = ("adresse", "complement_adresse", "code_postal", "commune", "latitude", "longitude",
         "telephone", "courriel", "horaires_accueil")
STRUCTURE_FIELDS = ("nom", "description", "site_web", "accessibilite_lieu", *PLACE)
SERVICE_FIELDS = ("structure_id", "nom", "description", "type", "thematiques", "publics",
                  "publics_precisions", "frais", "frais_precisions", "conditions_acces",
                  "modes_accueil", "modes_mobilisation", "mobilisable_par",
                  "mobilisation_precisions", "lien_mobilisation", *PLACE)


structure_or_404 = row_loader(Structure, "structure_id")
service_or_404 = row_loader(Service, "service_id")


@bp.route("/")
@permission_required(can_edit_directory)
def index():
    structures = db.session.scalars(
        db.select(Structure).options(selectinload(Structure.services)).order_by(Structure.nom)
    ).all()
    return render_template("directory/admin/index.html", structures=structures)


def _schema_errors(form, messages: list[str]) -> None:
    """Put each message of the schema next to its field ("site_web: URL invalide")."""
    for message in messages:
        name, _sep, text = message.partition(": ")
        target = getattr(form, name.split(".")[0], None)
        if target is not None and hasattr(target, "errors") and text:
            target.errors = [*target.errors, text]
        else:
            form.form_errors.append(message)


def _fill(form, row) -> None:
    for name, value in (row.record or {}).items():
        field = getattr(form, name, None)
        if field is not None and name not in ("id", "source", "date_maj"):
            field.data = value
    fill_translations(form, row.translations)


def _save(form, model, row, fields, make_id):
    values = {name: getattr(form, name).data for name in fields}
    base = dict(row.record) if row is not None else {"id": make_id(), "source": editing.SOURCE}
    quartiers = form.quartiers.data if model is Service else ()
    record = editing.build_record(base, values, quartiers, translations_from(form))
    try:
        with unit_of_work():
            return editing.save_record(current_user(), model, record)
    except editing.InvalidRecord as invalid:
        _schema_errors(form, invalid.messages)
        return None


@bp.route("/structures/nouvelle", methods=["GET", "POST"])
@bp.route("/structures/<structure_id>", methods=["GET", "POST"])
@permission_required(can_edit_directory)
def structure(structure_id: str | None = None):
    row = structure_or_404(structure_id=structure_id) if structure_id else None
    form = StructureForm()
    if row is not None and not form.is_submitted():
        _fill(form, row)
    if form.validate_on_submit():
        saved = _save(form, Structure, row, STRUCTURE_FIELDS,
                      lambda: editing.new_id(Structure, form.nom.data))
        if saved is not None:
            flash(_("Structure enregistrée."), "success")
            return redirect(url_for("directory_admin.structure", structure_id=saved.id))
    return render_template("directory/admin/structure.html", form=form, row=row,
                           action_form=ConfirmForm()), (422 if form.is_submitted() else 200)


@bp.route("/services/nouveau", methods=["GET", "POST"])
@bp.route("/services/<service_id>", methods=["GET", "POST"])
@permission_required(can_edit_directory)
def service(service_id: str | None = None):
    row = service_or_404(service_id=service_id) if service_id else None
    form = ServiceForm()
    form.structure_id.choices = [(s.id, s.nom) for s in db.session.scalars(
        db.select(Structure).order_by(Structure.nom))]
    if row is not None and not form.is_submitted():
        _fill(form, row)
        form.quartiers.data = row.quartiers
    if form.validate_on_submit():
        saved = _save(form, Service, row, SERVICE_FIELDS,
                      lambda: editing.new_id(Service, form.nom.data))
        if saved is not None:
            flash(_("Service enregistré."), "success")
            return redirect(url_for("directory_admin.service", service_id=saved.id))
    return render_template("directory/admin/service.html", form=form, row=row,
                           action_form=ConfirmForm()), (422 if form.is_submitted() else 200)


@bp.route("/structures/<structure_id>/apercu")
@permission_required(can_edit_directory, load=structure_or_404)
def structure_preview(row: Structure):
    """The pages as residents will see them, even while a draft."""
    return render_template("directory/admin/structure_preview.html", structure=row,
                           hours=hours.summarise(row.horaires_accueil), now=clock.now())


@bp.route("/services/<service_id>/apercu")
@permission_required(can_edit_directory, load=service_or_404)
def service_preview(row: Service):
    return render_template("directory/admin/service_preview.html", service=row,
                           structure=row.structure, hours=hours.summarise(row.opening_hours))


add_publication_routes(bp, "/structures/<structure_id>", prefix="structure_",
                       permission=can_edit_directory, load=structure_or_404,
                       change=editing.set_published,
                       done_url=lambda row: url_for(".structure", structure_id=row.id))
add_publication_routes(bp, "/services/<service_id>", prefix="service_",
                       permission=can_edit_directory, load=service_or_404,
                       change=editing.set_published,
                       done_url=lambda row: url_for(".service", service_id=row.id))


@bp.route("/structures/<structure_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_directory, load=structure_or_404)
def delete_structure(row: Structure):
    count = len(row.services)
    return _delete(row, ngettext("Son service sera supprimé avec elle.",
                                 "Ses %(num)d services seront supprimés avec elle.",
                                 count) if count else None)


@bp.route("/services/<service_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_directory, load=service_or_404)
def delete_service(row: Service):
    return _delete(row, None)


def _delete(row, warning):
    return confirm_delete(editing.delete_record, row, item=row.nom, message=_("Supprimé."),
                          done_url=url_for("directory_admin.index"), warning=warning)


def _drafts(user):
    draft = PublicationStatus.DRAFT
    structures = db.session.scalars(db.select(Structure).filter_by(publication_status=draft)
                                    .order_by(Structure.updated_at.desc()).limit(10)).all()
    services = db.session.scalars(db.select(Service).filter_by(publication_status=draft)
                                  .order_by(Service.updated_at.desc()).limit(10)).all()
    return [*structures, *services]


def _to_fix(user) -> list[tuple[str, str, str, list]]:
    """Records stored before the checks existed (or imported as they came) whose telephone or
    hours pages cannot use: residents then get no call button, or no "open now"."""
    found = []
    for kind, model in (("structure", Structure), ("service", Service)):
        rows = db.session.execute(db.select(model.id, model.nom, model.telephone,
                                            model.horaires_accueil).order_by(model.nom))
        for record_id, name, telephone, opening in rows:
            what = [label for label, bad in ((_("téléphone"), phones.problem(telephone)),
                                             (_("horaires"), hours.problem(opening))) if bad]
            if what:
                found.append((kind, record_id, name, what))
    return found[:20]


def register(reg: Registry) -> None:
    reg.add_menu("directory_admin.index", _l("Offre de services"), 30, can_edit_directory)
    reg.add_dashboard_block(DashboardBlock(
        "directory-to-fix", 16, _l("Offre de services : fiches à corriger"),
        "directory/admin/_to_fix.html", _to_fix, can_edit_directory,
    ))
    reg.add_dashboard_block(DashboardBlock(
        "directory-drafts", 14, _l("Offre de services : en brouillon"),
        "directory/admin/_drafts.html", _drafts, can_edit_directory,
    ))
