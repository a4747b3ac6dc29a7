"""Messages: the one way the portal sends anything. The outbox (`outbox.enqueue`, sent by
`flask messages work`), e-mail and SMS backends, residents' subscriptions (`/abonnements/`)
and their weekly digest, staff notifications of items awaiting validation
(`staff.notify_staff_awaiting`), and `/admin/messages/` for admins."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from .. import registry

bp = Blueprint("messages", __name__, url_prefix="/abonnements")


def init_app(app: Flask) -> None:
    from . import admin, cli, digest, models, views  # noqa: F401  (routes, tables)

    reg = registry.of(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    reg.add_nav("messages.index", _l("Abonnements"), 90)
    reg.add_menu("messages_admin.index", _l("Messages"), 90, admin.rules.can_view_outbox)
    reg.add_menu("messages_admin.preferences", _l("Mes notifications"), 95,
                 admin.rules.can_set_notification_preference)
    reg.add_sitemap(lambda: [("messages.index", {})])
    digest.register_sources(app)
    app.cli.add_command(cli.group)
