"""The one validation queue, /admin/a-valider/: everything awaiting a decision in the user's
quartiers, oldest first, with its age; what waits for more than LATE_HOURS is marked late (in
words and with a marker, not only a colour). Domains add their items with
`registry.add_validation_queue(key, loader)`; the dashboard shows how many wait."""

from datetime import timedelta

from flask import render_template

from .. import clock, registry
from ..calendar import aware_utc
from . import bp, rules
from .auth import current_user, permission_required

SHOWN = 200  # the oldest first; the page says how many more wait (bounded rendering)
LATE_HOURS = 48  # waiting longer: highlighted


def age_days(item) -> int:
    """Whole days the item has waited (0: today)."""
    return max((clock.utcnow() - aware_utc(item.submitted_at)).days, 0)


def is_late(item, cutoff) -> bool:
    """Waiting for more than LATE_HOURS: sent before `cutoff` (now - LATE_HOURS, read once by
    the page for its thousands of items)."""
    return aware_utc(item.submitted_at) < cutoff


@bp.route("/a-valider/")
@permission_required(rules.can_enter_back_office)
def validation_queue():
    items = registry.of().validation_items(current_user())
    cutoff = clock.utcnow() - timedelta(hours=LATE_HOURS)
    return render_template("backoffice/queue.html", items=items[:SHOWN], total=len(items),
                           late=sum(is_late(item, cutoff) for item in items),
                           age_days=age_days, is_late=lambda item: is_late(item, cutoff),
                           late_hours=LATE_HOURS)


def waiting(user) -> list:
    """The dashboard block: the queue's items (the block shows their count)."""
    return registry.of().validation_items(user)
