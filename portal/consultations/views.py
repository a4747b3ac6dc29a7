"""Public concertation pages: the list (open, coming, closed), a campaign with its
questionnaire (no account, no JavaScript needed), the confirmation and the results."""

import re
import secrets

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import geo, honeypot, qr
from ..extensions import limiter
from ..i18n import language_args
from ..quartiers import quartier_by_slug
from ..transaction import unit_of_work
from . import bp, editing, places
from .answering import Parsed, read_answers
from .models import Channel, CountingMode, QuestionKind
from .queries import CLOSED, OPEN, by_state, published_campaign_or_404, results_public, state
from .results import compute

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _limit() -> str:
    return current_app.config["CONSULTATION_LIMIT_PER_ADDRESS"]


@bp.route("/")
def index():
    quartier = quartier_by_slug(request.args.get("quartier"))  # unknown value: no filter
    return render_template("consultations/index.html", groups=by_state(quartier),
                           quartier=quartier)


def questionnaire_page(campaign, parsed: Parsed | None = None, key: str | None = None,
                       status: int = 200, template="consultations/campaign.html", **extra):
    return render_template(
        template, campaign=campaign, state=state(campaign), OPEN=OPEN, CLOSED=CLOSED,
        parsed=parsed, values=parsed.values if parsed else None,
        errors=parsed.errors if parsed else {}, key=key or new_key(), Kind=QuestionKind,
        results_public=results_public(campaign), asks_code=campaign.counting_mode is
        CountingMode.CODE, **extra), status


@bp.route("/<slug>", methods=["GET"])
def campaign(slug: str):
    return questionnaire_page(published_campaign_or_404(slug))


@bp.route("/<slug>", methods=["POST"])
@limiter.limit(_limit, scope="consultation-answer")
def answer(slug: str):
    campaign = published_campaign_or_404(slug, with_quartiers=False)
    if state(campaign) != OPEN:
        # The server decides, whatever page the browser still shows.
        return questionnaire_page(campaign, status=409)
    key = request.form.get("cle", "")
    if not KEY.match(key):
        abort(400)
    if honeypot.caught():
        # A robot: it sees the usual confirmation, nothing is stored.
        return redirect(url_for(".thanks", slug=slug))
    if editing.already_recorded(campaign, key):
        return redirect(url_for(".thanks", slug=slug))
    parsed = read_answers(campaign, request.form)
    code = None
    if campaign.counting_mode is CountingMode.CODE:
        code = (request.form.get("code") or "").strip()
        if not code:
            parsed.errors.setdefault("code", _("Écrivez le code reçu dans votre boîte aux "
                                               "lettres."))
    if not parsed.ok:
        return questionnaire_page(campaign, parsed, key, 422)
    try:
        with unit_of_work():
            editing.record_response(campaign, parsed, key=key, channel=Channel.ONLINE,
                                    address=request.remote_addr, code=code)
    except IntegrityError:
        # The same key committed meanwhile by a concurrent request: recorded once.
        return redirect(url_for(".thanks", slug=slug))
    except OperationalError:
        # The database too busy to take the answer now (SQLite's lock under a burst): the
        # form comes back filled, with the same key, so sending it again counts once.
        parsed.errors["erreurs"] = _("Le site est très occupé : vos réponses ne sont pas "
                                     "encore enregistrées. Renvoyez-les dans un instant.")
        return questionnaire_page(campaign, parsed, key, 503)
    except editing.CodeRefused:
        parsed.errors["code"] = _("Ce code n’est pas valable ou a déjà servi.")
        return questionnaire_page(campaign, parsed, key, 422)
    return redirect(url_for(".thanks", slug=slug))


def online_url(campaign) -> str:
    """The questionnaire online, absolute and in the reader's language (the paper's QR)."""
    return url_for(".campaign", slug=campaign.slug, _external=True, **language_args())


@bp.route("/<slug>/papier")
def paper(slug: str):
    """The questionnaire to print, with a QR code to the online one (until it closes)."""
    campaign = published_campaign_or_404(slug)
    if state(campaign) == CLOSED:
        abort(404)
    return render_template("consultations/paper.html", campaign=campaign, Kind=QuestionKind,
                           page_url=online_url(campaign),
                           qr_url=url_for(".paper_qr", slug=slug, **language_args()))


@bp.route("/<slug>/qr.svg")
def paper_qr(slug: str):
    return qr.svg_response(online_url(published_campaign_or_404(slug)))


@bp.route("/<slug>/merci")
def thanks(slug: str):
    campaign = published_campaign_or_404(slug)
    return render_template("consultations/thanks.html", campaign=campaign,
                           results_public=results_public(campaign))


@bp.route("/<slug>/resultats")
def results(slug: str):
    campaign = published_campaign_or_404(slug)
    if not results_public(campaign):
        abort(404)
    channel, option_id = filters()
    return render_template("consultations/results.html", campaign=campaign,
                           results=compute(campaign, channel, option_id), Kind=QuestionKind,
                           channel=channel, option_id=option_id, Channel=Channel,
                           CHANNELS=channel_labels(), state=state(campaign), CLOSED=CLOSED,
                           map_args=_filter_args(channel, option_id))


def _filter_args(channel, option_id) -> dict:
    args = {"canal": channel.value} if channel else {}
    return args | ({"profil": option_id} if option_id else {})


def _place_question(campaign, question_id: int):
    question = next((q for s in campaign.sections for q in s.questions
                     if q.id == question_id), None)
    if question is None or not places.has_map(question):
        abort(404)
    return question


@bp.route("/<slug>/lieux-<int:question_id>.js")
def places_map(slug: str, question_id: int):
    """The map of a place question's places: a tap on one chooses it in the list."""
    campaign = published_campaign_or_404(slug)
    return geo.script_response(places.choice_map(_place_question(campaign, question_id)))


@bp.route("/<slug>/resultats/lieux-<int:question_id>.js")
def results_map(slug: str, question_id: int):
    """The places of a question with their counts (same filters as the page)."""
    campaign = published_campaign_or_404(slug)
    if not results_public(campaign):
        abort(404)
    question = _place_question(campaign, question_id)
    channel, option_id = filters()
    result = next(r for r in compute(campaign, channel, option_id).questions
                  if r.question.id == question.id)
    return geo.script_response(places.results_map(question, result.bars))


def filters() -> tuple[Channel | None, int | None]:
    """The results' filters from the query string; unknown values: no filter."""
    channel = next((c for c in Channel if c.value == request.args.get("canal")), None)
    raw = request.args.get("profil", "")
    return channel, int(raw) if raw.isdigit() and len(raw) < 12 else None


def channel_labels() -> dict:
    return {Channel.ONLINE: _("en ligne"), Channel.PAPER: _("sur papier"),
            Channel.PHONE: _("par téléphone"), Channel.MOBILE_HOUSE: _("à la Maison Mobile"),
            Channel.WORKSHOP: _("en atelier")}


