"""/chiffres: what the programme heard and did, per quartier, for residents: the same
figures as the bilans (one definition each: the functions of participation, mobile_house and
living), for a year."""

from datetime import date

from flask import Blueprint, render_template, request

from .. import clock
from ..quartiers import all_quartiers
from . import living, mobile_house, participation
from .period import FIRST_YEAR, Period

bp = Blueprint("reports", __name__)


def _year() -> int:
    text = (request.args.get("annee") or "").strip()
    this_year = clock.today().year
    if text.isdigit() and FIRST_YEAR <= int(text) <= this_year:
        return int(text)
    return this_year


@bp.route("/chiffres")
def figures():
    year = _year()
    period = Period("annee", date(year, 1, 1), date(year, 12, 31))
    quartiers = all_quartiers()
    ids = [q.id for q in quartiers]
    answers = participation.answers_by_quartier(period, ids)
    events = participation.events_by_quartier(period, ids)
    resolved = living.resolved_by_quartier(period, ids)
    delays = living.delays(period, ids, overall=False)
    passages = mobile_house.passages(period, ids)
    rows = [(q, {"answers": answers[q.id], "held": events[q.id]["held"],
                 "resolved": resolved[q.id], "answer_days": delays[q.id]["answer_days"],
                 "passages": passages[q.id]["held"], "received": passages[q.id]["received"]})
            for q in quartiers]
    years = list(range(clock.today().year, max(FIRST_YEAR, clock.today().year - 4) - 1, -1))
    return render_template("reports/chiffres.html", year=year, years=years, rows=rows,
                           definitions=(participation.ANSWERS, participation.HELD,
                                        living.RESOLVED, living.FIRST_ANSWER,
                                        mobile_house.HELD, mobile_house.RECEIVED))
