"""The corpus of hostile strings that tests write into every form field and content file, and
the checks that every output the portal sends treats them as text.

Each string carries the marker "hx" beside what would show it was run, so that a check looks
for that exact result (`hx49` for `hx{{ 7*7 }}`) and never trips on a figure of the page.

- `SHORT`: short strings a text field should accept and show as text (packed several to a
  value by `payloads()`, so that a few objects carry the whole corpus);
- `LONG`: 100 KB runs of one character and Markdown's pathological shapes (a field refuses
  them by its length, or stores them and the pages still answer at once);
- `REFUSED`: what a database cannot store (NUL): refused with a clear answer, never a 500.
"""

import json
import re
from html.parser import HTMLParser

SECRET_KEY = "test-secret"  # tests/conftest.py: `{{ config }}` must never show it

SHORT: dict[str, str] = {
    "script tag": '<script>alert("hx-script")</script>',
    "script tag, odd case and source": "<ScRiPt src=//evil.example/hx.js></sCrIpT>",
    "image with onerror": "<img src=x onerror=alert('hx-img')>",
    "svg with onload": "<svg/onload=alert('hx-svg')>",
    "details with ontoggle": "<details open ontoggle=alert('hx')>",
    "double-quote attribute breakout": 'hx" onmouseover="alert(1)" x="',
    "single-quote attribute breakout": "hx' autofocus onfocus='alert(1)' x='",
    "javascript link in Markdown": "[clic hx](javascript:alert(1))",
    "javascript link in HTML": '<a href="javascript:alert(1)">hx</a>',
    "javascript link with a tab and entities": '<a href="jav&#x09;ascript:alert(1)">hx</a>',
    "bare javascript URL": "JaVaScRiPt:alert(1)",
    "data URL link": "<a href='data:text/html,<script>alert(1)</script>'>hx</a>",
    "iframe": '<iframe src="https://evil.example/hx"></iframe>',
    "style element": "<style>body{display:none}</style>hx",
    "style attribute": '<p style="position:fixed;top:0">hx</p>',
    "closing script": "</script><script>alert('hx-close')</script>",
    "closing textarea and title": "</textarea></title><b>hx</b>",
    "HTML comment": "<!-- hx -->",
    "CDATA end": "]]>hx<![CDATA[",
    "Jinja expression": "hx{{ 7*7 }}",
    "Jinja string product": "hx{{ 7*'7' }}",
    "Jinja statement": "hx{% if 1 %}IF{% endif %}",
    "Jinja config": "{{ config.SECRET_KEY }}{{ config }}",
    "Jinja globals": "{{ lipsum.__globals__.os.getpid() }}",
    "Jinja comment": "hx{# hidden #}",
    "template literal": "hx${7*7}",
    "Ruby-style interpolation": "hx#{7*7}",
    "ERB": "hx<%= 7*7 %>",
    "Python format": "{0.__class__} %s %(x)s {}",
    "CRLF into headers": "hx\r\nX-Hx-Injected: 1",
    "CRLF into iCalendar": "hx\r\nX-HX-INJECTED:1",
    "line separators": "hx\u2028\u2029",
    "control characters": "hx\x0b\x0c\x1b\x7f",
    "right-to-left override": "hx\u202egnp.exe",
    "bidi isolates and zero width": "hx\u2066\u200b\u200d\ufeff\u2069",
    "emoji and astral characters": "hx 🏗️👷\u200d♀️ 𝕏 𠜎 🇫🇷",
    "Arabic with combining marks": "hx مَرْحَبًا",
    "SQL": "hx' OR '1'='1' -- ;",
    "LIKE wildcards": "hx%_\\",
    "path": "../../../etc/passwd",
    "spreadsheet formula": "=HYPERLINK(\"https://evil.example\",\"hx\")",
    "numbers JSON dislikes": "NaN Infinity -0 1e309",
    "YAML-looking": "hx: [a, {b: c}] &anchor *ref !!python/object:os.system",
}

LONG: dict[str, str] = {
    "Markdown table rows": "|-\n" * 3_333,
    "100 KB of one letter": "a" * 100_000,
    "100 KB of opening brackets": "[" * 100_000,
    "100 KB of angle brackets": "<" * 100_000,
    "100 KB of braces": "{" * 100_000,
    "Markdown opening brackets": "[" * 10_000,
    "Markdown emphasis": "*_" * 5_000,
    "Markdown nested list": "".join("  " * (i % 40) + "- x\n" for i in range(2_000))[:10_000],
    "Markdown nested quotes": ">" * 10_000,
    "Markdown link references": "".join(f"[r{i}]: https://exemple.example/{i}\n"
                                        for i in range(500))[:10_000],
    "Markdown backticks": "`` ` " * 2_500,
    "Markdown unclosed tags": "<a " * 3_300,
}

REFUSED: dict[str, str] = {
    "NUL": "hx\x00nul",
}

# What must never appear in anything the portal sends: a marker next to its computed result.
EXECUTED = re.compile(r"hx(?:49|7777777|IF)\b|" + re.escape(SECRET_KEY))


def payloads(max_length: int = 80) -> list[str]:
    """The SHORT strings packed into values of at most `max_length` characters, each string
    whole, in corpus order (a field then gets the values that fit it)."""
    values, current = [], ""
    for text in SHORT.values():
        joined = f"{current} {text}" if current else text
        if len(joined) <= max_length:
            current = joined
        else:
            values.append(current)
            current = text
    values.append(current)
    return values


def fitting(value: str, max_length: int | None) -> str:
    """`value` if it fits, else its longest prefix made of whole corpus strings (at least
    the first one, cut: a field of 10 characters still gets something hostile)."""
    if max_length is None or len(value) <= max_length:
        return value
    kept = ""
    for text in SHORT.values():
        if text in value and len(f"{kept} {text}".strip()) <= max_length:
            kept = f"{kept} {text}".strip()
    return kept or value[:max_length]


# --- checks -------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "cite"}
NEVER_FROM_DATA = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "style"}
JSON_TYPES = {"application/json", "application/ld+json", "application/geo+json"}


def _dangerous_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self._check_tag(tag, attrs)
        if tag == "script":
            self._script = {"attrs": dict(attrs), "text": ""}

    def handle_startendtag(self, tag, attrs):
        self._check_tag(tag, attrs)

    def _check_tag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> with an event attribute {name}={value!r}")
            elif name in URL_ATTRIBUTES and value and _dangerous_url(value):
                self.problems.append(f"<{tag}> with {name}={value[:60]!r}")
            elif name == "style":
                self.problems.append(f"<{tag}> with a style attribute (the CSP forbids them)")
        if tag in NEVER_FROM_DATA:
            self.problems.append(f"a <{tag}> element")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a <meta http-equiv=refresh>")

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._check_script(**self._script)
            self._script = None

    def _check_script(self, attrs, text):
        kind = (attrs.get("type") or "").lower()
        if kind in JSON_TYPES:
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"a JSON <script> that is not JSON: {text[:80]!r}")
        elif "src" not in attrs:
            self.problems.append(f"an inline <script>: {text[:80]!r}")
        elif not attrs["src"].startswith("/") or attrs["src"].startswith("//"):
            self.problems.append(f"a <script> from elsewhere: {attrs['src']!r}")


def html_problems(html: str) -> list[str]:
    """What in `html` could run or restyle the page: event attributes, script elements that
    are not the app's own files, javascript: links, frames, style."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


def executed(text: str) -> list[str]:
    """The markers found with their computed result (a template or an interpolation ran)."""
    return sorted({match.group(0) for match in EXECUTED.finditer(text)})
