"""The portal's application factory: configuration, extensions, blueprints, CLI, headers."""

import contextlib
import hashlib
import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from flask import Flask, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from . import (
    backoffice,
    consultations,
    contributions,
    core,
    directory,
    events,
    geo,
    honeypot,
    i18n,
    messages,
    mobile_house,
    news,
    phones,
    registry,
    reports,
    sanitize,
    security,
    shared_redis,
    works,
)
from .config import ROOT, check_production, is_production, local_secret_key, settings, trusted_hosts
from .extensions import compress, csrf, db, migrate, sqlite_waits_when_busy
from .strict_json import StrictJSONProvider

# The domains, in the order their navigation, home blocks and loaders were thought out. Adding
# a domain is creating its package (with its init_app) and adding it here.
DOMAINS = (core, news, works, mobile_house, directory, events, consultations, contributions,
           messages, reports, backoffice)


class Portal(Flask):
    """Flask, whose absolute links (`url_for(..., _external=True)`: feeds, sharing tags, the
    sitemap, calendar and QR links, mails) start with SITE_URL when it is set: behind a proxy
    the request's own host may be an internal name, or plain http. Its JSON (`jsonify`,
    `|tojson`, `request.get_json()`) is strict: no NaN or Infinity, in or out."""

    json_provider_class = StrictJSONProvider

    def url_for(self, endpoint: str, *, _anchor=None, _method=None, _scheme=None,
                _external=None, **values) -> str:
        site = self.config.get("SITE_URL")
        external = _external if _external is not None else not has_request_context()
        if site and external and has_request_context():
            return site + super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                          _external=False, **values)
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                               _external=_external, **values)


def create_app(config: dict | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """The portal, with the settings of `environ` (the process's environment by default)
    read now, overridden by `config` (tests)."""
    app = Portal(
        __name__, static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"),
    )
    app.config.update(settings(config, environ))
    if is_production(app.config):
        check_production(app.config)  # raises, with what to set, rather than serve unsafely
    elif not app.config["SECRET_KEY"]:
        # A test app needs no key that outlives it; `make run` keeps one across restarts.
        app.config["SECRET_KEY"] = (secrets.token_hex(32) if app.config["TESTING"]
                                    else local_secret_key())
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    if app.config["PROXY_COUNT"]:
        # Behind reverse proxies the client's address (login rate limits) and scheme come
        # from their X-Forwarded-* headers; trust exactly that many hops, no more.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    sqlite_waits_when_busy(app)
    app.teardown_appcontext(_close_session)  # runs before Flask-SQLAlchemy's own (reverse order)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True,
        compare_type=True,
    )
    i18n.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    sanitize.init_app(app)
    honeypot.init_app(app)
    security.init_app(app)
    shared_redis.init_app(app)  # before the back office's limiter reads its options
    geo.init_app(app)
    phones.init_app(app)

    registry.init_app(app)
    for domain in DOMAINS:
        domain.init_app(app)

    from .cli import register_commands

    register_commands(app)
    _register_error_pages(app)
    _version_static_urls(app)
    from . import page_cache

    page_cache.init_app(app)  # last: it must see each view's answer first
    from . import logs, metrics

    # Their before-request hooks go first of all (the request id and the timer are there
    # for every hook's answer, a cached page's too).
    metrics.init_app(app)
    logs.init_app(app)
    return app


def _close_session(_error=None) -> None:
    """End the request's session without letting a dead connection turn a finished answer
    into a 500: PostgreSQL restarted, or killed the connection, after the page was made. The
    connection is discarded; pool_pre_ping hands the next request a live one."""
    try:
        db.session.remove()
    except SQLAlchemyError:
        with contextlib.suppress(SQLAlchemyError):
            db.session().invalidate()
        db.session.registry.clear()


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host outside TRUSTED_HOSTS: plain text, as the error page would build its links
        # from that very host.
        return "Bad Request", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", error=error, csrf=True), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        # The editor's text is still in the previous page: the browser's back button keeps it.
        from .backoffice.uploads import max_megabytes

        return render_template("errors/error.html", error=error, max_mb=max_megabytes()), 413

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and error.code < 400 or request.path.startswith("/static/"):
            return error
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        # The database is restarting or unreachable: a plain "try again shortly" page, not a
        # trace; pool_pre_ping hands the next request a fresh connection once it is back.
        app.logger.error("database unavailable: %s", error)
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
        headers = {"Retry-After": "30", "Cache-Control": "no-store"}
        try:
            return render_template("errors/error.html", error=error, server=True), 503, headers
        except Exception:  # the page itself needs the database (navigation): say it plainly
            return ("Service momentanément indisponible, réessayez dans quelques minutes.",
                    503, {**headers, "Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", error=error, server=True), 500


def _version_static_urls(app: Flask) -> None:
    """Add ?v=<content hash> to static URLs, so they can be cached for a year and still change."""

    @lru_cache(maxsize=256)
    def digest(filename: str, mtime: float) -> str:
        path = Path(app.static_folder) / filename
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]

    @app.url_defaults
    def add_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = Path(app.static_folder) / values["filename"]
            if path.is_file():
                values["v"] = digest(values["filename"], path.stat().st_mtime)
