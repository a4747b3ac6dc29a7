"""The one validation queue, /admin/a-valider/: everything awaiting a decision in the user's
quartiers, oldest first, with its age. Domains add their items with
`registry.add_validation_queue(key, loader)`; the dashboard shows how many wait."""

from flask import render_template

from .. import clock, registry
from ..calendar import aware_utc
from . import bp, rules
from .auth import current_user, permission_required

SHOWN = 200  # the oldest first; the page says how many more wait (bounded rendering)


def age_days(item) -> int:
    """Whole days the item has waited (0: today)."""
    return max((clock.utcnow() - aware_utc(item.submitted_at)).days, 0)


@bp.route("/a-valider/")
@permission_required(rules.can_enter_back_office)
def validation_queue():
    items = registry.of().validation_items(current_user())
    return render_template("backoffice/queue.html", items=items[:SHOWN], total=len(items),
                           age_days=age_days)


def waiting(user) -> list:
    """The dashboard block: the queue's items (the block shows their count)."""
    return registry.of().validation_items(user)
