"""The resident side: list, campaign page and its questionnaire (each question kind valid and
invalid, required, conditions, dates, honeypot, idempotency, rate limit, CSRF, codes)."""

from datetime import timedelta

import pytest
from sqlalchemy import func

from portal.consultations.editing import code_hash
from portal.consultations.models import (
    Answer,
    Channel,
    CountingMode,
    Guard,
    ParticipationCode,
    Response,
    TextAnswer,
)
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.consultations.factories import NOW, make_campaign, option, question, valid_form


def counts():
    return tuple(db.session.scalar(db.select(func.count()).select_from(model))
                 for model in (Response, Answer, TextAnswer, Guard))


def post(client, campaign, data):
    return client.post(f"/concertations/{campaign.slug}", data=data)


@pytest.fixture
def campaign(quartiers):
    return make_campaign([quartiers["epeule"]])


@pytest.fixture
def no_csrf(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)


def test_list_shows_open_coming_and_closed(client, quartiers):
    make_campaign(title="Ouverte maintenant")
    make_campaign(title="Pas encore", opens=NOW + timedelta(days=3),
                  closes=NOW + timedelta(days=9))
    make_campaign(title="Déjà close", opens=NOW - timedelta(days=9),
                  closes=NOW - timedelta(days=2))
    make_campaign(title="Brouillon caché", publication_status=PublicationStatus.DRAFT)
    html = client.get("/concertations/").get_data(as_text=True)
    opened, coming, closed = (html.index(t) for t in ("Ouverte maintenant", "Pas encore",
                                                      "Déjà close"))
    assert html.index("concertations-open") < opened < html.index("concertations-coming") \
        < coming < html.index("concertations-closed") < closed
    assert "Brouillon caché" not in html


def test_home_and_quartier_list_open_campaigns(client, campaign):
    assert campaign.title in client.get("/").get_data(as_text=True)
    assert campaign.title in client.get("/quartiers/epeule").get_data(as_text=True)
    assert campaign.title not in client.get("/quartiers/alma").get_data(as_text=True)


def test_campaign_page_has_the_questionnaire_in_steps(client, campaign):
    html = client.get(f"/concertations/{campaign.slug}").get_data(as_text=True)
    assert "Étape 1 sur 2" in html and "Étape 2 sur 2" in html
    assert 'name="csrf_token"' in html and 'name="cle"' in html and 'name="website"' in html
    assert html.count("<fieldset") >= 7  # sections and choice questions have legends


def test_draft_campaign_is_not_found(client):
    draft = make_campaign(publication_status=PublicationStatus.DRAFT)
    assert client.get(f"/concertations/{draft.slug}").status_code == 404


def test_valid_answer_is_stored_once_per_option(client, campaign, no_csrf):
    response = post(client, campaign, valid_form(campaign))
    assert response.status_code == 302 and response.location.endswith("/merci")
    stored = db.session.scalars(db.select(Response)).one()
    assert stored.channel is Channel.ONLINE and not stored.flagged
    multiple = db.session.scalars(db.select(Answer.option_id).where(
        Answer.question_id == question(campaign, "multiple").id)).all()
    assert sorted(multiple) == sorted([option(campaign, "multiple", "Arbres").id,
                                       option(campaign, "multiple", "Eau").id])
    ranks = dict(db.session.execute(db.select(Answer.option_id, Answer.value).where(
        Answer.question_id == question(campaign, "ranking").id)).all())
    assert ranks == {option(campaign, "ranking", "Soir").id: 1,
                     option(campaign, "ranking", "Matin").id: 2}
    texts = db.session.scalars(db.select(TextAnswer)).all()
    assert {t.publication_status for t in texts} == {PublicationStatus.PENDING}
    assert counts() == (1, 9, 2, 1)  # 1+1+2+1+2+1+1 rows, 2 texts
    assert "Merci" in client.get(response.location).get_data(as_text=True)


def test_stored_answers_hold_no_address(client, campaign, no_csrf):
    post(client, campaign, valid_form(campaign))
    guard = db.session.scalars(db.select(Guard)).one()
    assert "127.0.0.1" not in guard.address_hash and len(guard.address_hash) == 64
    assert not hasattr(Response, "address_hash")


def _field(campaign, key):
    return question(campaign, key).field_name


BAD = {
    "missing required": lambda c: ({_field(c, "yes"): ""}, "yes", "Répondez à cette question."),
    "option of another question": lambda c: (
        {_field(c, "yes"): str(option(c, "single", "Bancs").id)}, "yes",
        "Choisissez une des réponses proposées."),
    "not an id": lambda c: ({_field(c, "single"): "abc"}, "single",
                            "Choisissez une des réponses proposées."),
    "other without text": lambda c: ({_field(c, "single"): str(option(c, "single", "Autre").id)},
                                     "single-autre", "Précisez votre réponse « autre »."),
    "too many choices": lambda c: ({_field(c, "multiple"): [
        str(option(c, "multiple", label).id) for label in ("Arbres", "Eau", "Bacs")]},
        "multiple", "Choisissez au plus 2 réponses."),
    "same choice twice": lambda c: ({_field(c, "multiple"): [
        str(option(c, "multiple", "Eau").id)] * 2}, "multiple",
        "Choisissez parmi les réponses proposées."),
    "scale out of range": lambda c: ({_field(c, "scale"): "6"}, "scale",
                                     "Choisissez une note de 1 à 5."),
    "rank out of range": lambda c: (
        {f"{_field(c, 'ranking')}-{option(c, 'ranking', 'Soir').id}": "3"}, "ranking",
        "Donnez des rangs de 1 à 2."),
    "same rank twice": lambda c: (
        {f"{_field(c, 'ranking')}-{option(c, 'ranking', 'Soir').id}": "1",
         f"{_field(c, 'ranking')}-{option(c, 'ranking', 'Matin').id}": "1"}, "ranking",
        "Donnez un rang différent à chaque choix."),
    "not a number": lambda c: ({_field(c, "number"): "trois"}, "number",
                               "Écrivez un nombre, par exemple 3."),
    "number out of range": lambda c: ({_field(c, "number"): "25"}, "number",
                                      "Écrivez un nombre entre 0 et 20."),
    "infinite number": lambda c: ({_field(c, "number"): "1e999"}, "number",
                                  "Écrivez un nombre, par exemple 3."),
    "oversized short text": lambda c: ({_field(c, "short"): "x" * 301}, "short",
                                       "Écrivez au plus 300 caractères."),
    "oversized long text": lambda c: ({_field(c, "long"): "x" * 5001}, "long",
                                      "Écrivez au plus 5000 caractères."),
    "place not in the list": lambda c: ({_field(c, "place"): "999999"}, "place",
                                        "Choisissez une des réponses proposées."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_answer_is_refused_by_the_field_with_values_kept(client, campaign, no_csrf,
                                                                 case):
    changes, key, message = BAD[case](campaign)
    name = question(campaign, key.removesuffix("-autre")).field_name + (
        "-autre" if key.endswith("-autre") else "")
    data = valid_form(campaign, **changes)
    response = post(client, campaign, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{name}-erreur">{message}</p>' in html.replace("&#39;", "'")
    assert f'href="#{name}"' in html  # the summary links to the field
    typed = [v for v in changes.values() if key in ("short", "long", "number")]
    kept = typed + [
        "Un banc" if key != "short" else "", "Des arbres, beaucoup d’arbres." if key != "long"
        else ""]
    assert all(value in html for value in kept)  # what was typed is shown again
    assert f'value="{data["cle"]}"' in html  # the same key: a resend still counts once
    assert counts() == (0, 0, 0, 0)


def test_optional_questions_may_stay_empty(client, campaign, no_csrf):
    data = {"cle": "cle-minimale-0000000001",
            _field(campaign, "yes"): str(option(campaign, "yes", "Non").id)}
    assert post(client, campaign, data).status_code == 302
    assert counts() == (1, 1, 0, 1)


def test_conditional_question_is_skipped_and_its_values_ignored(client, quartiers, no_csrf):
    campaign = make_campaign(questions=("yes", "short"))
    short = question(campaign, "short")
    short.condition_option_id = option(campaign, "yes", "Oui").id
    short.required = True
    db.session.commit()
    data = {"cle": "cle-condition-000000001", short.field_name: "tampered",
            _field(campaign, "yes"): str(option(campaign, "yes", "Non").id)}
    assert post(client, campaign, data).status_code == 302
    assert counts()[2] == 0  # the hidden question's text was not stored
    data = {"cle": "cle-condition-000000002",
            _field(campaign, "yes"): str(option(campaign, "yes", "Oui").id)}
    response = post(client, campaign, data)
    assert response.status_code == 422 and f"{short.field_name}-erreur" in response.text


@pytest.mark.parametrize("opens,closes", [(NOW + timedelta(hours=1), NOW + timedelta(days=2)),
                                          (NOW - timedelta(days=5), NOW - timedelta(seconds=1))])
def test_campaign_not_open_refuses_answers(client, quartiers, no_csrf, opens, closes):
    campaign = make_campaign(opens=opens, closes=closes)
    page = client.get(f"/concertations/{campaign.slug}").get_data(as_text=True)
    assert 'name="cle"' not in page
    response = post(client, campaign, valid_form(campaign))
    assert response.status_code == 409
    assert counts() == (0, 0, 0, 0)


def test_campaign_closes_at_its_minute(client, quartiers, no_csrf, frozen_clock):
    campaign = make_campaign(closes=NOW + timedelta(minutes=1))
    frozen_clock(NOW + timedelta(minutes=1))
    assert post(client, campaign, valid_form(campaign)).status_code == 409


def test_double_submit_records_once(client, campaign, no_csrf):
    data = valid_form(campaign)
    first, second = post(client, campaign, data), post(client, campaign, data)
    assert first.status_code == second.status_code == 302
    assert counts()[0] == 1


def test_identical_answers_from_one_address_are_flagged_not_dropped(client, campaign, no_csrf):
    post(client, campaign, valid_form(campaign))
    post(client, campaign, valid_form(campaign))  # another key: another tap on "send"
    flagged = db.session.scalars(db.select(Response.flagged).order_by(Response.id)).all()
    assert flagged == [False, True]


def test_honeypot_stores_nothing(client, campaign, no_csrf):
    response = post(client, campaign, valid_form(campaign, website="http://spam.example"))
    assert response.status_code == 302
    assert counts() == (0, 0, 0, 0)


def test_tampered_key_is_refused(client, campaign, no_csrf):
    assert post(client, campaign, valid_form(campaign, cle="<script>")).status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_rate_limit_per_address(client, campaign, no_csrf, app, monkeypatch):
    monkeypatch.setitem(app.config, "CONSULTATION_LIMIT_PER_ADDRESS", "2 per hour")
    assert post(client, campaign, valid_form(campaign)).status_code == 302
    assert post(client, campaign, valid_form(campaign)).status_code == 302
    assert post(client, campaign, valid_form(campaign)).status_code == 429
    assert counts()[0] == 2


def test_csrf_is_required(client, campaign):
    response = post(client, campaign, valid_form(campaign))
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_with_a_csrf_token_it_is_accepted(client, campaign):
    from tests.conftest import csrf_token

    token = csrf_token(client, f"/concertations/{campaign.slug}")
    assert post(client, campaign, valid_form(campaign, csrf_token=token)).status_code == 302


def test_printed_code_counts_once(client, quartiers, no_csrf):
    campaign = make_campaign(questions=("yes",), counting_mode=CountingMode.CODE)
    db.session.add(ParticipationCode(campaign_id=campaign.id, code_hash=code_hash("ABCD2345")))
    db.session.commit()
    yes = {_field(campaign, "yes"): str(option(campaign, "yes", "Oui").id)}
    missing = post(client, campaign, {"cle": "cle-code-0000000000001", **yes})
    assert missing.status_code == 422 and "code-erreur" in missing.text
    unknown = post(client, campaign, {"cle": "cle-code-0000000000002", "code": "ZZZZ9999",
                                      **yes})
    assert unknown.status_code == 422 and "pas valable" in unknown.text
    assert counts()[0] == 0  # nothing half-written: the response was rolled back
    ok = post(client, campaign, {"cle": "cle-code-0000000000003", "code": "abcd 2345", **yes})
    assert ok.status_code == 302
    again = post(client, campaign, {"cle": "cle-code-0000000000004", "code": "ABCD2345", **yes})
    assert again.status_code == 422
    assert counts()[0] == 1


def test_results_visibility(client, quartiers):
    from portal.consultations.models import ResultsVisibility

    live = make_campaign(results_visibility=ResultsVisibility.LIVE)
    later = make_campaign(results_visibility=ResultsVisibility.AFTER_CLOSE)
    staff = make_campaign(results_visibility=ResultsVisibility.STAFF,
                          closes=NOW - timedelta(days=1), opens=NOW - timedelta(days=5))
    assert client.get(f"/concertations/{live.slug}/resultats").status_code == 200
    assert client.get(f"/concertations/{later.slug}/resultats").status_code == 404
    assert client.get(f"/concertations/{staff.slug}/resultats").status_code == 404


def test_arabic_page_is_right_to_left(client, campaign):
    html = client.get(f"/concertations/{campaign.slug}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html


def test_a_busy_database_gives_the_form_back_not_an_error(client, campaign, no_csrf,
                                                          monkeypatch):
    from sqlalchemy.exc import OperationalError

    from portal.consultations import editing

    def locked(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(editing, "record_response", locked)
    data = valid_form(campaign)
    response = post(client, campaign, data)
    assert response.status_code == 503
    assert "Renvoyez-les" in response.text and f'value="{data["cle"]}"' in response.text
    assert counts() == (0, 0, 0, 0)


def test_paper_questionnaire_with_its_qr_code(client, campaign):
    page = client.get(f"/concertations/{campaign.slug}")
    assert f'href="/concertations/{campaign.slug}/papier"' in page.get_data(as_text=True)
    html = client.get(f"/concertations/{campaign.slug}/papier").get_data(as_text=True)
    assert f'src="/concertations/{campaign.slug}/qr.svg"' in html
    assert f"http://localhost/concertations/{campaign.slug}" in html
    assert "Étape 2 sur 2" in html and "Rue A" in html and "Cochez jusqu’à 2 cases." in html
    assert "<form" not in html.split('class="paper"')[1]  # paper: nothing to send from here
    svg = client.get(f"/concertations/{campaign.slug}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.get_data() and b"<script" not in svg.get_data()


def test_paper_questionnaire_keeps_the_language(client, campaign, monkeypatch):
    """A sheet printed in Arabic leads to the Arabic form: a scanned link has no cookie."""
    from portal import qr

    encoded = []
    real_make = qr.qrcode.make
    monkeypatch.setattr(qr.qrcode, "make",
                        lambda data, **kw: encoded.append(data) or real_make(data, **kw))
    html = client.get(f"/concertations/{campaign.slug}/papier?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert f'src="/concertations/{campaign.slug}/qr.svg?lang=ar"' in html
    online = f"http://localhost/concertations/{campaign.slug}?lang=ar"
    assert online in html
    client.delete_cookie("lang")
    client.get(f"/concertations/{campaign.slug}/qr.svg?lang=ar")
    assert encoded == [online]


def test_no_paper_questionnaire_once_closed_or_for_a_draft(client, quartiers):
    closed = make_campaign(opens=NOW - timedelta(days=10), closes=NOW - timedelta(days=1))
    assert client.get(f"/concertations/{closed.slug}/papier").status_code == 404
    draft = make_campaign(publication_status=PublicationStatus.DRAFT)
    assert client.get(f"/concertations/{draft.slug}/papier").status_code == 404
    assert client.get(f"/concertations/{draft.slug}/qr.svg").status_code == 404


def _main(html: str) -> str:
    return html[html.index('<main id="contenu"'):html.index("</main>")]


@pytest.mark.parametrize("path", ["", "/papier"])
def test_arabic_questionnaire_shows_the_arabic_questions_right_to_left(demo_content, client,
                                                                       path):
    html = client.get(f"/concertations/epeule-futur-jardin-alouette{path}?lang=ar").get_data(
        as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    main = _main(html)
    assert "ماذا تريدون أن تجدوا في الحديقة؟" in main and "أحواض للزراعة" in main
    assert "أنتم والحديقة" in main and "يعجبني كثيرًا" in main and ">نعم<" in main
    assert "Des bacs à cultiver" not in main and 'lang="fr"' not in main  # no fallback


def test_refused_answers_come_back_in_the_visitor_language(demo_content, client, no_csrf):
    response = client.post("/concertations/epeule-futur-jardin-alouette?lang=en",
                           data={"cle": "k" * 20})
    main = _main(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "What would you like to find in the garden?" in main and "Beds to grow" in main
    assert "Que voulez-vous trouver" not in main and 'lang="fr"' not in main


def test_results_show_translated_questions_and_options(demo_content, client):
    main = _main(client.get("/concertations/alma-charte-relogement/resultats?lang=ar")
                 .get_data(as_text=True))
    assert "ما الذي يقلقكم؟" in main and "الإيجار والتكاليف" in main
    assert "نعم، جيّدًا جدًّا" in main and "ما سنقوم به" in main
    assert "Le loyer et les charges" not in main and 'lang="fr"' not in main
