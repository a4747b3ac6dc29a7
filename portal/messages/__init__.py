"""Messages: the one way the portal sends anything. The outbox (`outbox.enqueue`, sent by
`flask messages work`), e-mail and SMS backends, residents' subscriptions (`/abonnements/`)
and their weekly digest, staff notifications of items awaiting validation
(`staff.notify_staff_awaiting`), and `/admin/messages/` for admins."""

from flask import Blueprint, Flask

bp = Blueprint("messages", __name__, url_prefix="/abonnements")


def init_app(app: Flask) -> None:
    from . import cli, models  # noqa: F401  (tables)

    app.cli.add_command(cli.group)
