"""The one place where user and editor HTML or Markdown becomes safe HTML (through bleach).

Nothing else in the portal calls bleach or marks text as safe.
"""

import re
from functools import lru_cache

import bleach
import markdown
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
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


_HEADING = re.compile(r"<(/?)h([1-6])>")


@lru_cache(maxsize=1024)
def _render(text: str, top: int = 2) -> str:
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if levels:
        # The page owns the outline: the body's biggest heading becomes level `top` (h2 right
        # under the page title, h3 inside a titled section), so no level is ever skipped.
        shift = top - min(levels)
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}>", html)
    return _cleaner.clean(html)


def render_markdown(text: str | None, top: int = 2) -> Markup:
    """Markdown to sanitised HTML, headings starting at level `top`; cached, since the same
    bodies are rendered again and again."""
    return Markup(_render(text or "", top))


def plain_text(text: str | None) -> str:
    """Text without any markup (Markdown is rendered first), for meta descriptions, feeds and
    calendar entries. Entities are decoded: the template or the file format escapes again."""
    return Markup(_render(text or "")).striptags()


# Any domain (bleach knows only some top-level domains; demonstration ones end in .example).
_EMAIL_IN_TEXT = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def linked_text(text) -> Markup:
    """Plain text (a contact sentence) with its e-mail addresses, web addresses and French
    phone numbers made into links, so a phone can write or call in one tap."""
    from .phones import IN_TEXT, phone_href

    def call(match: re.Match) -> str:
        href = phone_href(match[0])
        return f'<a href="{href}">{match[0]}</a>' if href else match[0]

    html = IN_TEXT.sub(call, str(escape(str(text or ""))))
    html = _EMAIL_IN_TEXT.sub(lambda m: f'<a href="mailto:{m[0]}">{m[0]}</a>', html)
    return Markup(bleach.linkify(html, callbacks=[]))


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["plain_text"] = plain_text
    app.jinja_env.filters["linked_text"] = linked_text
