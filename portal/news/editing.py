"""Write operations on news from the back office; each one also writes the audit log. They
flush and never commit: the caller commits once (portal.transaction.unit_of_work)."""

from ..backoffice import audit
from ..backoffice.uploads import delete_image, store_image
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, publish, unpublish
from ..quartiers import Quartier
from ..sanitize import render_stored
from ..slugs import unique_slug
from ..transaction import after_commit, after_rollback
from .models import NewsArticle

FIELDS = ("title", "summary", "easy_read", "body", "quartiers", "image_path", "image_alt",
          "published_at", "translations", "slug", *DECISION)
EDITABLE = ("title", "summary", "easy_read", "body", "image_alt")
TRAIL = audit.Trail("news", FIELDS)


def _apply(article: NewsArticle, data: dict, image, remove_image: bool) -> None:
    """Set the article's fields. A replaced image file is deleted once the change is committed
    (deleted earlier, a failed commit would leave the article without its file); a file stored
    for a change that is rolled back is deleted then. Only uploaded files are deleted:
    content/ images stay (uploads.delete_image)."""
    for name in EDITABLE:
        setattr(article, name, (data.get(name) or "").strip())
    article.translations = data.get("translations") or {}
    render_stored(article)
    ids = set(data.get("quartier_ids") or ())
    article.quartiers = list(db.session.scalars(
        db.select(Quartier).where(Quartier.id.in_(ids)).order_by(Quartier.position)
    )) if ids else []
    if (remove_image or image is not None) and article.image_path:
        replaced, article.image_path = article.image_path, None
        after_commit(lambda: delete_image(replaced))
    if image is not None:
        stored = article.image_path = store_image(image, "news")
        after_rollback(lambda: delete_image(stored))
    if not article.image_path:
        article.image_alt = ""


def create_news(actor, data: dict, image=None) -> NewsArticle:
    article = NewsArticle(slug=unique_slug(NewsArticle.slug, data["title"], "actualite"),
                          publication_status=PublicationStatus.DRAFT)
    _apply(article, data, image, False)
    db.session.add(article)
    TRAIL.created(actor, article)
    db.session.flush()
    return article


def update_news(actor, article: NewsArticle, data: dict, image=None,
                remove_image: bool = False) -> NewsArticle:
    with TRAIL.change(actor, "update", article):
        _apply(article, data, image, remove_image)
    db.session.flush()
    return article


def set_published(actor, article: NewsArticle, published: bool) -> None:
    """Publish (dated the first time only: `NewsArticle.on_published`) or take back to a
    draft."""
    (publish if published else unpublish)(article, actor, trail=TRAIL)
    db.session.flush()


def delete_news(actor, article: NewsArticle) -> None:
    TRAIL.deleted(actor, article)
    image = article.image_path
    db.session.delete(article)
    db.session.flush()
    after_commit(lambda: delete_image(image))
