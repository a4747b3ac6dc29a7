"""Slugs: the URL words residents share (`/actualites/reunion-publique-alma`). What a slug may
be, how a title becomes one, and how a new row gets one no other row of its table has."""

import re
import unicodedata

from .extensions import db

# Lowercase ASCII words joined by single hyphens: checked before a query too, since
# PostgreSQL refuses some bytes (NUL) a URL may carry.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, fallback: str, max_length: int = 100) -> str:
    """'Réunion publique : l’Alma' -> 'reunion-publique-l-alma', at most `max_length`
    characters; `fallback` when nothing of `text` is left."""
    # Accents go (é -> e); anything else that is not a letter or digit (’ included) separates.
    letters = "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                      if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", letters).strip("-")
    return slug[:max_length].strip("-") or fallback


def unique_slug(column, text: str, fallback: str, max_length: int = 100,
                prefix: str = "") -> str:
    """`prefix` + slugify(text) for a new row, with '-2', '-3'... when a row already has it in
    `column` (`NewsArticle.slug`, `Structure.id`): a slug, once given, never changes owner."""
    base = prefix + slugify(text, fallback, max_length)
    slug, n = base, 1
    while db.session.scalar(db.select(column).where(column == slug).limit(1)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug
