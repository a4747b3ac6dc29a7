"""Back-office pages of works sites: the sites (project team), with the point picked on a map
or typed, and the dated updates of their timeline (neighbourhood teams too, own quartiers)."""


from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from .. import geo, strict_json
from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.pages import add_publication_routes, confirm_delete
from ..backoffice.rules import is_team
from ..extensions import db
from ..publication import PublicationStatus
from ..quartiers import Quartier
from ..registry import DashboardBlock, QuartierCount, Registry
from ..transaction import unit_of_work
from . import editing, maps
from .forms import SiteForm, UpdateForm
from .models import WorksSite, WorksStatus, WorksUpdate
from .rules import can_add_update, can_edit_site, can_list_sites
from .texts import template_helpers

bp = Blueprint("works_admin", __name__, url_prefix="/admin/chantiers")
bp.context_processor(template_helpers)  # the domain\'s words, in its pages only


site_or_404 = row_loader(WorksSite, "site_id", WorksSite.updates, WorksSite.quartier)
update_or_404 = row_loader(WorksUpdate, "update_id")


@bp.route("/")
@permission_required(can_list_sites)
def index():
    user = current_user()
    query = (db.select(WorksSite).options(selectinload(WorksSite.quartier))
             .join(Quartier).order_by(Quartier.position, WorksSite.title))
    if is_team(user):
        query = query.where(WorksSite.quartier_id.in_(user.quartier_ids))
    return render_template("works/admin/index.html", sites=db.session.scalars(query).all(),
                           can_edit=can_edit_site(user))


def _data(form: SiteForm) -> dict:
    data = {name: getattr(form, name).data for name in editing.TEXTS + editing.VALUES}
    data.update(quartier_id=form.quartier.data, kind=form.kind_value,
                status=form.status_value, geometry=form.geometry,
                translations=translations_from(form))
    return data


def _form_page(form: SiteForm, site: WorksSite | None):
    return render_template("works/admin/form.html", form=form, site=site,
                           tile_url=current_app.config["TILE_URL"],
                           action_form=ConfirmForm()), (
        422 if form.is_submitted() else 200)


@bp.route("/nouveau", methods=["GET", "POST"])
@permission_required(can_edit_site)
def create():
    form = SiteForm(user=current_user())
    if form.validate_on_submit():
        with unit_of_work():
            site = editing.create_site(current_user(), _data(form))
        flash(_("Chantier enregistré."), "success")
        return redirect(url_for("works_admin.edit", site_id=site.id))
    return _form_page(form, None)


@bp.route("/<int:site_id>", methods=["GET", "POST"])
@permission_required(can_edit_site, load=site_or_404)
def edit(site: WorksSite):
    form = SiteForm(obj=site, user=current_user())
    if not form.is_submitted():
        form.quartier.data, form.kind.data = site.quartier_id, site.kind.value
        form.status.data = site.status.value
        if site.geometry and site.geometry.get("type") == "Polygon":
            form.area.data = strict_json.dumps(site.geometry)
        fill_translations(form, site.translations)
    if form.validate_on_submit():
        with unit_of_work():
            editing.update_site(current_user(), site, _data(form))
        flash(_("Chantier enregistré."), "success")
        return redirect(url_for("works_admin.edit", site_id=site.id))
    return _form_page(form, site)


@bp.route("/<int:site_id>/apercu")
@permission_required(can_edit_site, load=site_or_404)
def preview(site: WorksSite):
    """The site's page as residents will see it, even while it is a draft."""
    return render_template("works/admin/preview.html", site=site,
                           map_script_url=url_for(".preview_map", site_id=site.id))


@bp.route("/<int:site_id>/apercu/carte.js")
@permission_required(can_edit_site, load=site_or_404)
def preview_map(site: WorksSite):
    return geo.script_response(maps.site_small_map(site))


add_publication_routes(bp, "/<int:site_id>", permission=can_edit_site, load=site_or_404,
                       change=editing.set_published,
                       done_url=lambda site: url_for(".edit", site_id=site.id))


@bp.route("/<int:site_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_edit_site, load=site_or_404)
def delete(site: WorksSite):
    count = len(site.updates)
    warning = ngettext("L’étape de son historique sera supprimée avec lui.",
                       "Les %(num)d étapes de son historique seront supprimées avec lui.",
                       count) if count else None
    return confirm_delete(editing.delete_site, site, item=site.title, warning=warning,
                          message=_("Chantier supprimé."), done_url=url_for("works_admin.index"))


@bp.route("/<int:site_id>/historique", methods=["GET", "POST"])
@permission_required(can_add_update, load=site_or_404)
def updates(site: WorksSite):
    form = UpdateForm()
    if form.validate_on_submit():
        with unit_of_work():
            editing.add_update(current_user(), site, form.published_on.data, form.text.data,
                               translations_from(form))
        flash(_("Étape ajoutée à l’historique du chantier."), "success")
        return redirect(url_for("works_admin.updates", site_id=site.id))
    return render_template("works/admin/updates.html", site=site, form=form), (
        422 if form.is_submitted() else 200)


@bp.route("/etapes/<int:update_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_add_update, load=update_or_404)
def delete_update(update: WorksUpdate):
    back = url_for("works_admin.updates", site_id=update.site_id)
    return confirm_delete(editing.delete_update, update,
                          item=f"{format_date(update.published_on, 'long')} : {update.text[:80]}",
                          message=_("Étape retirée de l’historique."), done_url=back)


def _ongoing_per_quartier() -> dict[int, int]:
    rows = db.session.execute(
        db.select(WorksSite.quartier_id, func.count())
        .where(WorksSite.status == WorksStatus.ONGOING, WorksSite.is_published)
        .group_by(WorksSite.quartier_id)
    )
    return dict(rows.all())


def _drafts(user):
    return db.session.scalars(
        db.select(WorksSite).filter_by(publication_status=PublicationStatus.DRAFT)
        .order_by(WorksSite.updated_at.desc()).limit(10)
    ).all()


def register(reg: Registry) -> None:
    reg.add_menu("works_admin.index", _l("Chantiers"), 15, can_list_sites)
    reg.add_dashboard_block(DashboardBlock(
        "works-drafts", 12, _l("Chantiers en brouillon"), "works/admin/_drafts.html", _drafts,
        can_edit_site,
    ))
    reg.add_quartier_count(QuartierCount(
        "works", 15, _l("Chantiers en cours"), _ongoing_per_quartier,
    ))
