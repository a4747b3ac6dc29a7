"""The one place where user and editor HTML or Markdown becomes safe HTML (through bleach).

Nothing else in the portal calls bleach or marks text as safe.
"""

from functools import lru_cache

import bleach
import markdown
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre", "abbr", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "hreflang"], "abbr": ["title"], "th": ["scope"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True,
    strip_comments=True,
)


def clean_html(html: str) -> Markup:
    """Keep only the harmless subset of HTML listed above."""
    return Markup(_cleaner.clean(html or ""))


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    # Editors write "# Titre" out of habit: the page already has its h1, so shift headings down.
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>")
        html = html.replace(f"</h{level}>", f"</h{level + 1}>")
    return _cleaner.clean(html)


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML; cached, since the same bodies are rendered again and again."""
    return Markup(_render(text or ""))


def plain_text(text: str | None) -> str:
    """Text without any markup (Markdown is rendered first), for meta descriptions, feeds and
    calendar entries. Entities are decoded: the template or the file format escapes again."""
    return Markup(_render(text or "")).striptags()


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["plain_text"] = plain_text
