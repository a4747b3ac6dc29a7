"""The one place where user and editor HTML or Markdown becomes safe HTML (through bleach).

Nothing else in the portal calls bleach or marks text as safe.

Markdown is rendered by markdown-it-py (CommonMark, whose parsing time grows linearly with
the text: Python-Markdown took seconds on a few thousand `[`), with pipe tables. Raw HTML in
the Markdown is parsed, then goes through the same clean as any HTML: elements whose content
is code or hidden (`<script>`, `<style>`, `<iframe>`...) are dropped with that content, and
every other tag off the allow-list is stripped, its text kept.

Stored Markdown is rendered once, when it is saved, never per view: a model lists its
Markdown fields in `markdown_fields` ({"body": 2}: the field, and the level of its first
heading on its page), and beside each field keeps `<field>_html`, a JSON column mapping each
language to its sanitized HTML ({"fr": "<p>…</p>", "en": …, "ar": …}: French from the column,
other languages from `translations`). `render_stored(row)` fills it; back-office write
functions, content loaders and the migration that added the columns call it. Pages choose
the language with `i18n.localized()` as for any text, then output the stored HTML of that
language with the `stored_html` filter. The rendered HTML is kept apart from `translations`
on purpose: `translations` holds what editors and content files wrote, so nothing in it is
ever trusted as HTML.
"""

import re

import bleach
from bleach.html5lib_shim import (
    TAG_TOKEN_TYPE_END,
    TAG_TOKEN_TYPE_START,
    TAG_TOKEN_TYPES,
    BleachHTMLParser,
    BleachHTMLTokenizer,
)
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .languages import DEFAULT_LANGUAGE

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "hreflang"], "abbr": ["title"], "th": ["scope"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Elements whose content is not text for a reader: removed whole, content included.
DROPPED_ELEMENTS = frozenset({
    "script", "style", "template", "iframe", "object", "embed", "noscript", "noembed",
    "noframes", "frameset", "applet",
})
# The longest Markdown any form accepts (a news body); the live preview reads no more.
MARKDOWN_MAX_LENGTH = 50_000

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True,
    strip_comments=True,
)


# Of those, the ones whose content is markup (they nest): skipped at the token level, since
# html5lib predates <template>, and nested ones would make a deep tree (slow to build).
_NESTING_DROPPED = frozenset({"template", "object", "applet"})


class _DroppingTokenizer(BleachHTMLTokenizer):
    """Skips the elements that nest, with everything inside them."""

    def __iter__(self):
        open_names: list[str] = []
        for token in super().__iter__():
            if token["type"] in TAG_TOKEN_TYPES and token["name"] in _NESTING_DROPPED:
                if token["type"] == TAG_TOKEN_TYPE_START:
                    open_names.append(token["name"])
                elif token["type"] == TAG_TOKEN_TYPE_END and token["name"] in open_names:
                    del open_names[len(open_names) - 1 - open_names[::-1].index(token["name"]):]
                continue
            if not open_names:
                yield token


class _DroppingParser(BleachHTMLParser):
    """bleach's parser, told that only the dropped elements are tags: every other tag comes
    out as its source text, so the tree is the text, in order, and the dropped elements
    (script and style read as a browser reads them: up to their end tag). Flat, so parsing
    stays linear however deep the rest is nested."""

    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        # As BleachHTMLParser._parse, with the tokenizer above.
        self.innerHTMLMode, self.container, self.scripting = innerHTML, container, scripting
        self.tokenizer = _DroppingTokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs)
        self.reset()
        self.mainLoop()


# Only a gate that saves a second parse: a start tag is `<` then its name, in any case, so
# text without this cannot hold a dropped element. The parser decides what is one.
_MAY_HOLD_DROPPED = re.compile(
    "<(?:" + "|".join(sorted(DROPPED_ELEMENTS)) + ")", re.IGNORECASE
)

# markdown-it's CommonMark preset stops at 20 levels of nesting (about 10 nested lists or
# quotes, far more than any text needs): what lies deeper is not shown.
_markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
# Every link is made, and bleach (the one judge of protocols) removes a `javascript:` href:
# a reader sees the link's words, never the Markdown around them.
_markdown.validateLink = lambda url: True
_HEADING = re.compile(r"<(/?)h([1-6])>")
# Linear is not enough at 50,000 characters: thousands of emphasis, code or link markers cost
# markdown-it and bleach about a second per language (a page of `*_`). No text a person writes
# holds that many (and html5lib slows down quadratically on tables of thousands of rows), so
# past MARKUP_MAX of one kind the text is shown as written, in its paragraphs, lists and
# headings: markdown-it without inline rules, tables nor raw HTML writes only its own tags and
# escaped text, nothing bleach would keep out, in a fraction of the work. Lines cost too
# (15-30 µs each in markdown-it, even without inline rules): 50,000 characters of one-letter
# lines took 0.8 s, so a text of more than LINES_MAX lines (10 characters a line) skips
# markdown-it and becomes escaped paragraphs, split at its blank lines.
MARKUP_MAX = 2_000
LINES_MAX = 5_000
_MARKUP_KINDS = ("*_", "`", "[]", "<&", "|")
# Without the newline rule a line end stays a line end in the HTML (what a soft break
# renders as anyway), not a token each: two trailing spaces no longer make a <br> there.
_plain_markdown = MarkdownIt("commonmark", {"html": False}).disable(
    ["emphasis", "backticks", "link", "image", "autolink", "html_inline", "html_block",
     "entity", "reference", "newline"])


def _without_dropped_elements(html: str) -> str:
    """The source text without the dropped elements and their content (nor comments, which
    bleach strips anyway); everything else exactly as written, for bleach to clean."""
    if not _MAY_HOLD_DROPPED.search(html):
        return html
    # A parser per call: an html5lib parser keeps its state on itself.
    parser = _DroppingParser(tags=DROPPED_ELEMENTS, strip=False, consume_entities=False,
                             namespaceHTMLElements=False)
    fragment = parser.parseFragment(html)
    # Every child is a dropped element or a comment; the text after each is kept.
    return (fragment.text or "") + "".join(child.tail or "" for child in fragment)


def _clean(html: str) -> str:
    return _cleaner.clean(_without_dropped_elements(html or ""))


def clean_html(html: str) -> Markup:
    """Keep only the harmless subset of HTML listed above."""
    return Markup(_clean(html))


def _too_much_markup(text: str) -> bool:
    return any(sum(text.count(char) for char in kind) > MARKUP_MAX for kind in _MARKUP_KINDS)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def _render(text: str, top: int = 2) -> str:
    if text.count("\n") > LINES_MAX:
        return "".join(f"<p>{escape(part.strip())}</p>\n"
                       for part in _BLANK_LINES.split(text) if part.strip())
    plain = _too_much_markup(text)
    html = (_plain_markdown if plain else _markdown).render(text)
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if levels:
        # The page owns the outline: the body's biggest heading becomes level `top` (h2 right
        # under the page title, h3 inside a titled section), so no level is ever skipped.
        shift = top - min(levels)
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}>", html)
    return html if plain else _clean(html)


def render_markdown(text: str | None, top: int = 2) -> Markup:
    """Markdown to sanitised HTML, headings starting at level `top`. For text being typed (the
    back-office previews); stored text is rendered when saved (render_stored)."""
    return Markup(_render(text or "", top))


def plain_text(text: str | None) -> str:
    """Text without any markup (Markdown is rendered first), for meta descriptions, feeds and
    calendar entries. Entities are decoded: the template or the file format escapes again."""
    return Markup(_render(text or "")).striptags()


# What XML 1.0 cannot hold at all, even escaped: C0 controls but tab and line ends, lone
# surrogates, U+FFFE/U+FFFF. A pasted vertical tab or escape would break the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_document(text: str) -> str:
    """An XML document (feed, sitemap) without the characters XML cannot carry."""
    return _NOT_XML.sub("", text)


def render_versions(french: str | None, translations: dict | None, field: str,
                    top: int = 2) -> dict[str, str]:
    """{"fr": html, "en": html, ...}: the French Markdown and each translation of `field`
    found in a `translations` column, rendered and sanitised."""
    texts = {DEFAULT_LANGUAGE: french or ""}
    for lang, entry in (translations or {}).items():
        text = entry.get(field) if isinstance(entry, dict) else None
        if lang != DEFAULT_LANGUAGE and isinstance(text, str):
            texts[lang] = text
    rendered: dict[str, str] = {}  # a translation pasted from the French: rendered once
    for text in texts.values():
        if text and text not in rendered:
            rendered[text] = _render(text, top)
    return {lang: rendered[text] for lang, text in texts.items() if text}


def render_stored(row) -> None:
    """Fill `<field>_html` for each Markdown field the row's model lists: call it whenever
    the row's Markdown or translations are written."""
    for field, top in type(row).markdown_fields.items():
        setattr(row, f"{field}_html",
                render_versions(getattr(row, field), row.translations, field, top))


def stored_html(versions: dict | None, lang: str) -> Markup:
    """The HTML render_stored wrote for `lang` (the language localized() chose)."""
    html = (versions or {}).get(lang) if isinstance(versions, dict) else None
    return Markup(html if isinstance(html, str) else "")


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
    app.jinja_env.filters["stored_html"] = stored_html
    app.jinja_env.filters["linked_text"] = linked_text
