"""Security headers on every response, with a strict Content-Security-Policy.

The policy forbids inline scripts and styles: pages load their scripts and styles as files from
this server. JSON-LD blocks are data, not scripts: the policy does not apply to them, so pages
need no nonce (and whole responses can be cached, see page_cache.py).
"""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge, SecurityError


def _tile_origin() -> str:
    """The map tile server's origin as a CSP source ({s} subdomains become a wildcard)."""
    parts = urlsplit(current_app.config.get("TILE_URL", ""))
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def content_security_policy() -> str:
    img_sources = " ".join(filter(None, ["'self'", "data:", _tile_origin()]))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {img_sources}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
    )
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values.lists())


def _refuse_long_text_forms() -> None:
    """A form without a file (urlencoded) is parsed at once by Werkzeug, percent-escapes and
    all: megabytes of `%5B` take seconds before any field's length limit is checked. The
    longest form filled to its limits in Arabic fits MAX_FORM_BYTES twice; past it, 413 at once."""
    if (request.mimetype == "application/x-www-form-urlencoded"
            and (request.content_length or 0) > current_app.config["MAX_FORM_BYTES"]):
        raise RequestEntityTooLarge()


def _refuse_nul_bytes() -> None:
    """PostgreSQL refuses NUL in text: a URL or a form carrying one could only end in a 500
    (or, on SQLite, be stored). Form fields are parsed once, here or by the view."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and _has_nul(request.form):
        abort(400)


def _refuse_untrusted_host() -> None:
    """Flask found the Host outside TRUSTED_HOSTS (set from SITE_URL): stop before any hook
    builds a link or a cache key from it."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def init_app(app: Flask) -> None:
    app.before_request(_refuse_untrusted_host)
    # First of all hooks: the CSRF check would read (parse) the form before it.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_long_text_forms)
    app.before_request(_refuse_nul_bytes)
    app.after_request(_set_security_headers)
