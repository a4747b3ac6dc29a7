"""Write operations on news from the back office; each one also writes the audit log."""

from ..backoffice import audit
from ..backoffice.uploads import delete_image, store_image
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, publish, unpublish
from ..quartiers import Quartier
from ..sanitize import render_stored
from ..slugs import unique_slug
from .models import NewsArticle

FIELDS = ("title", "summary", "easy_read", "body", "quartiers", "image_path", "image_alt",
          "published_at", "translations", "slug", *DECISION)
EDITABLE = ("title", "summary", "easy_read", "body", "image_alt")
TRAIL = audit.Trail("news", FIELDS)


def _apply(article: NewsArticle, data: dict, image, remove_image: bool) -> str | None:
    """Set the article's fields; returns the image file to delete once the change is
    committed (deleted earlier, a failed commit would leave the article without its file)."""
    for name in EDITABLE:
        setattr(article, name, (data.get(name) or "").strip())
    article.translations = data.get("translations") or {}
    render_stored(article)
    ids = set(data.get("quartier_ids") or ())
    article.quartiers = list(db.session.scalars(
        db.select(Quartier).where(Quartier.id.in_(ids)).order_by(Quartier.position)
    )) if ids else []
    replaced = None
    if (remove_image or image is not None) and article.image_path:
        replaced, article.image_path = article.image_path, None
    if image is not None:
        article.image_path = store_image(image, "news")
    if not article.image_path:
        article.image_alt = ""
    return replaced


def _commit(stored: str | None, replaced: str | None) -> None:
    """Commit; then delete the replaced file (only uploaded files are: content/ images stay).
    On failure, the file just stored is the one that goes."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        delete_image(stored)
        raise
    delete_image(replaced)


def create_news(actor, data: dict, image=None) -> NewsArticle:
    article = NewsArticle(slug=unique_slug(NewsArticle.slug, data["title"], "actualite"),
                          publication_status=PublicationStatus.DRAFT)
    _apply(article, data, image, False)
    db.session.add(article)
    TRAIL.created(actor, article)
    _commit(article.image_path, None)
    return article


def update_news(actor, article: NewsArticle, data: dict, image=None,
                remove_image: bool = False) -> NewsArticle:
    with TRAIL.change(actor, "update", article):
        replaced = _apply(article, data, image, remove_image)
    _commit(article.image_path if image is not None else None, replaced)
    return article


def set_published(actor, article: NewsArticle, published: bool) -> None:
    """Publish (dated the first time only: `NewsArticle.on_published`) or take back to a
    draft."""
    (publish if published else unpublish)(article, actor, trail=TRAIL)
    db.session.commit()


def delete_news(actor, article: NewsArticle) -> None:
    TRAIL.deleted(actor, article)
    image = article.image_path
    db.session.delete(article)
    db.session.commit()
    delete_image(image)
