"""The back office under /admin/: login, accounts, dashboard, audit log, and the pages that
each domain registers from its own `init_app` (see portal/registry.py)."""

from flask import Blueprint, Flask, g, request
from flask_babel import lazy_gettext as _l

from .. import registry, strict_json
from . import rules

bp = Blueprint("backoffice", __name__, url_prefix="/admin")


def _forget_user() -> None:
    # g may outlive a request in tests (one app context across requests): reload each time,
    # and let Flask-WTF read this request's session for the CSRF token it caches on g.
    g.pop("user", None)
    g.pop("csrf_token", None)


def _private_headers(response):
    if request.path.startswith("/admin"):
        # Back-office pages hold names and drafts: never kept by a shared cache or a browser.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def init_app(app: Flask) -> None:
    """Login, accounts, dashboard and journal; each domain's init_app adds its own pages."""
    from ..extensions import limiter
    from . import cli, journal, queue, users, views  # noqa: F401  (routes)
    from .auth import current_user

    limiter.init_app(app)
    app.before_request(_forget_user)
    app.after_request(_private_headers)
    app.register_blueprint(bp)
    reg = registry.of(app)
    reg.add_menu("backoffice.dashboard", _l("Tableau de bord"), 0, rules.can_enter_back_office)
    reg.add_menu("backoffice.validation_queue", _l("À valider"), 5,
                 rules.can_enter_back_office)
    reg.add_dashboard_block(registry.DashboardBlock(
        "validation-queue", 0, _l("À valider"), "backoffice/_queue.html", queue.waiting,
        rules.can_enter_back_office,
    ))
    reg.add_menu("backoffice.users", _l("Comptes"), 90, rules.can_manage_users)
    reg.add_menu("backoffice.journal", _l("Journal des modifications"), 95,
                 rules.can_read_journal)
    app.cli.add_command(cli.create_user_command)
    app.register_error_handler(429, _too_many_attempts)
    app.jinja_env.globals.update(current_user=current_user, admin_menu=reg.menu_for)
    app.jinja_env.filters.update(journal_value=journal_value)


def _too_many_attempts(error):
    # Flask-Limiter adds Retry-After to this response.
    from flask import render_template

    return render_template("backoffice/too_many.html"), 429


JOURNAL_TEXT_MAX = 280


def journal_value(value) -> str:
    """A value of the audit log as words staff read (escaped by the template like any text):
    "—" for nothing, oui/non, lists joined, long texts cut (the item itself has them whole)."""
    from flask_babel import gettext as _

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        text = ", ".join(value)
    elif isinstance(value, str):
        text = value
    else:
        text = strict_json.dumps(value, ensure_ascii=False)
    if len(text) > JOURNAL_TEXT_MAX:
        return _("%(start)s… (%(num)d caractères)", start=text[:JOURNAL_TEXT_MAX],
                 num=len(text))
    return text
