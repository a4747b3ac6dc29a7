"""Public news routes: list (filter by quartier), article, Atom feed."""

from flask import current_app, make_response, render_template, request

from ..clock import utcnow
from ..extensions import db
from ..mixins import as_utc
from ..pagination import requested_page
from ..quartiers import all_quartiers, quartier_by_slug
from ..sanitize import xml_document
from . import bp
from .queries import latest_news, published_article_or_404, published_news


@bp.route("/")
def index():
    quartier = quartier_by_slug(request.args.get("quartier"))  # unknown value: no filter
    page = db.paginate(
        published_news(quartier), page=requested_page(),
        per_page=current_app.config["NEWS_PER_PAGE"], error_out=True,
    )
    return render_template(
        "news/index.html", page=page, quartier=quartier, quartiers=all_quartiers()
    )


@bp.route("/<slug>")
def article(slug: str):
    return render_template("news/article.html", article=published_article_or_404(slug))


@bp.route("/flux.atom")
def feed():
    articles = latest_news(20)
    updated = max((a.modified_at for a in articles), default=None, key=as_utc)
    response = make_response(xml_document(
        render_template("news/feed.atom.xml", articles=articles, updated=updated or utcnow())
    ))
    response.mimetype = "application/atom+xml"
    return response
