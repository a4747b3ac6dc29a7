"""Back-office pages of the news: list, create, edit with preview, publish, delete."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..backoffice.auth import current_user, permission_required, row_loader
from ..backoffice.forms import ConfirmForm, fill_translations, translations_from
from ..backoffice.pages import add_publication_routes, confirm_delete
from ..backoffice.uploads import max_megabytes
from ..extensions import db
from ..publication import PublicationStatus
from ..registry import DashboardBlock, QuartierCount, Registry
from ..transaction import unit_of_work
from . import editing
from .forms import NewsForm
from .models import NewsArticle, news_quartier
from .rules import can_delete_news, can_edit_news, can_publish_news

bp = Blueprint("news_admin", __name__, url_prefix="/admin/actualites")


article_or_404 = row_loader(NewsArticle, "article_id", NewsArticle.quartiers)


@bp.route("/")
@permission_required(can_edit_news)
def index():
    status = request.args.get("statut")
    query = (db.select(NewsArticle).options(selectinload(NewsArticle.quartiers))
             .order_by(NewsArticle.publication_status, NewsArticle.updated_at.desc()))
    if status in {s.value for s in PublicationStatus}:  # unknown value: no filter
        query = query.where(NewsArticle.publication_status == PublicationStatus(status))
    # A tab per state the news can be in: drafts, published, and any other state some have.
    present = set(db.session.scalars(db.select(NewsArticle.publication_status).distinct()))
    tabs = [s for s in PublicationStatus
            if s in present or s.value == status
            or s in (PublicationStatus.DRAFT, PublicationStatus.PUBLISHED)]
    return render_template("news/admin/index.html", articles=db.session.scalars(query).all(),
                           status=status, tabs=tabs)


def _data(form: NewsForm) -> dict:
    data = {name: getattr(form, name).data for name in editing.EDITABLE}
    data["quartier_ids"] = form.quartiers.data
    data["translations"] = translations_from(form)
    return data


@bp.route("/nouvelle", methods=["GET", "POST"])
@permission_required(can_edit_news)
def create():
    form = NewsForm()
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            article = editing.create_news(current_user(), _data(form), form.image.prepared)
        flash(_("Actualité enregistrée comme brouillon."), "success")
        return redirect(url_for("news_admin.edit", article_id=article.id))
    return _form_page(form, None)


@bp.route("/<int:article_id>", methods=["GET", "POST"])
@permission_required(can_edit_news, load=article_or_404)
def edit(article: NewsArticle):
    form = NewsForm(obj=article, has_image=bool(article.image_path))
    if not form.is_submitted():
        form.quartiers.data = [q.id for q in article.quartiers]
        fill_translations(form, article.translations)
    if form.validate_on_submit() and not form.preview.data:
        with unit_of_work():
            editing.update_news(current_user(), article, _data(form), form.image.prepared,
                                form.remove_image.data)
        flash(_("Actualité enregistrée."), "success")
        return redirect(url_for("news_admin.edit", article_id=article.id))
    return _form_page(form, article)


def _form_page(form: NewsForm, article: NewsArticle | None):
    previewing = form.is_submitted() and form.preview.data
    status = 200 if not form.is_submitted() or (previewing and not form.errors) else 422
    form.image.ask_again()  # nothing was saved, the sent image included
    return render_template("news/admin/form.html", form=form, article=article,
                           previewing=previewing, action_form=ConfirmForm(),
                           max_mb=max_megabytes()), status


@bp.route("/<int:article_id>/apercu")
@permission_required(can_edit_news, load=article_or_404)
def preview(article: NewsArticle):
    """The article as residents will see it, even while it is a draft."""
    return render_template("news/admin/preview.html", article=article)


add_publication_routes(bp, "/<int:article_id>", permission=can_publish_news,
                       load=article_or_404, change=editing.set_published,
                       done_url=lambda article: url_for(".edit", article_id=article.id))


@bp.route("/<int:article_id>/supprimer", methods=["GET", "POST"])
@permission_required(can_delete_news, load=article_or_404)
def delete(article: NewsArticle):
    return confirm_delete(editing.delete_news, article, item=article.title,
                          message=_("Actualité supprimée."), done_url=url_for("news_admin.index"),
                          cancel_url=url_for("news_admin.edit", article_id=article.id))


def _drafts(user):
    return db.session.scalars(
        db.select(NewsArticle).filter_by(publication_status=PublicationStatus.DRAFT)
        .order_by(NewsArticle.updated_at.desc()).limit(10)
    ).all()


def _published_per_quartier() -> dict[int, int]:
    rows = db.session.execute(
        db.select(news_quartier.c.quartier_id, func.count())
        .join(NewsArticle, NewsArticle.id == news_quartier.c.news_id)
        .where(NewsArticle.is_published)
        .group_by(news_quartier.c.quartier_id)
    )
    return dict(rows.all())


def register(reg: Registry) -> None:
    reg.add_menu("news_admin.index", _l("Actualités"), 10, can_edit_news)
    reg.add_dashboard_block(DashboardBlock(
        "news-drafts", 10, _l("Actualités en brouillon"), "news/admin/_drafts.html", _drafts,
        can_edit_news,
    ))
    reg.add_quartier_count(QuartierCount(
        "news", 10, _l("Actualités publiées"), _published_per_quartier,
    ))
