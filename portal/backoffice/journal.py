"""/admin/journal: the audit log, filterable by kind of item, person, quartier and action."""

from flask import current_app, render_template, request

from ..core.queries import all_quartiers
from ..extensions import db
from . import auth, bp, rules
from .audit import journal_query
from .models import AuditEntry, User


@bp.route("/journal")
@auth.permission_required(rules.can_read_journal)
def journal():
    types = db.session.scalars(db.select(AuditEntry.object_type).distinct()).all()
    actions = db.session.scalars(db.select(AuditEntry.action).distinct()).all()
    people = db.session.scalars(db.select(User).order_by(User.email)).all()
    quartiers = all_quartiers()
    # Unknown filter values are ignored, never an error.
    chosen = {
        "type": request.args.get("type") if request.args.get("type") in types else None,
        "action": request.args.get("action") if request.args.get("action") in actions else None,
        "actor": _known_id(request.args.get("actor"), {u.id for u in people}),
        "quartier": _known_id(request.args.get("quartier"), {q.id for q in quartiers}),
    }
    page = db.paginate(
        journal_query(chosen["type"], chosen["actor"], chosen["quartier"], chosen["action"]),
        page=request.args.get("page", 1, type=int), per_page=current_app.config.get(
            "JOURNAL_PER_PAGE", 30), error_out=False,
    )
    filters = {k: v for k, v in chosen.items() if v}
    return render_template("backoffice/journal.html", page=page, types=sorted(types),
                           actions=sorted(actions), people=people, quartiers=quartiers,
                           chosen=chosen, filters=filters)


def _known_id(value: str | None, known: set[int]) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in known else None
