"""The demonstration content: an open campaign, a closed one with generated answers and
what the team retained; reloading an unchanged file changes nothing; personal data purged."""

from datetime import timedelta

import pytest
from sqlalchemy import func
from werkzeug.datastructures import MultiDict

from portal.consultations.editing import purge_personal_data
from portal.consultations.models import Campaign, Channel, Guard, Response
from portal.consultations.queries import CLOSED, OPEN, state
from portal.content import NUL_PROBLEM, ContentErrors, load_content
from portal.extensions import db
from tests.consultations.factories import NOW, make_campaign


def test_demo_has_an_open_and_a_closed_campaign(demo_content, client):
    campaigns = {c.slug: c for c in db.session.scalars(db.select(Campaign))}
    garden, charter = campaigns["epeule-futur-jardin-alouette"], campaigns[
        "alma-charte-relogement"]
    assert garden.is_demo and charter.is_demo
    assert state(garden) == OPEN and state(charter) == CLOSED
    questions = [q for s in garden.sections for q in s.questions]
    assert len(questions) >= 8 and len({q.kind for q in questions}) >= 7
    answered = db.session.scalar(db.select(func.count()).where(
        Response.campaign_id == charter.id))
    assert answered == 320
    html = client.get("/concertations/alma-charte-relogement/resultats").get_data(as_text=True)
    assert "Ce que nous avons retenu" in html and "320 réponses en tout" in html
    assert "Exemple de démonstration" in html
    assert "Le futur jardin" in client.get("/").get_data(as_text=True)


def test_reloading_unchanged_content_changes_nothing(demo_content):
    before = db.session.scalar(db.select(func.count()).select_from(Response))
    report = load_content()
    assert ("consultations", "unchanged") in report.counts
    assert db.session.scalar(db.select(func.count()).select_from(Response)) == before


def test_purge_deletes_abuse_data_of_long_closed_campaigns(db, quartiers):
    old = make_campaign(opens=NOW - timedelta(days=200), closes=NOW - timedelta(days=100))
    recent = make_campaign(opens=NOW - timedelta(days=20), closes=NOW - timedelta(days=10))
    for campaign in (old, recent):
        db.session.add(Guard(campaign_id=campaign.id, address_hash="a" * 64,
                             answers_digest="b" * 64))
    db.session.commit()
    assert purge_personal_data(90) == 1
    db.session.commit()
    assert db.session.scalars(db.select(Guard.campaign_id)).all() == [recent.id]


def test_purge_command(app, db, quartiers):
    result = app.test_cli_runner().invoke(args=["consultations-purge"])
    assert result.exit_code == 0 and "deleted" in result.output


# --- translations of the questionnaire (content/consultations/*.yaml) -----------------------

QUARTIER = """\
---
slug: epeule
name: Épeule
summary: "Le quartier change."
---
Texte.
"""

CAMPAIGN = """\
slug: essai
title: "Essai"
summary: "Un essai."
quartiers: [epeule]
opens_in_days: -1
closes_in_days: 10
results: live
sections:
  - title: "Partie"
    translations:
      ar: {title: "الجزء"}
    questions:
      - kind: yes_no
        label: "Venez-vous ?"
      - kind: single
        label: "Quand ?"
        help: "Une seule réponse."
        options: ["Le matin", "* Autre"]
        translations:
          en: {label: "When?", help: "One answer.", options: ["In the morning", "* Other"]}
          ar: {label: "متى؟", options: ["في الصباح", "شيء آخر"]}
      - kind: scale
        label: "Content ?"
        min_label: "Pas du tout"
        max_label: "Beaucoup"
        translations:
          ar: {min_label: "أبدًا", max_label: "كثيرًا"}
      - kind: place
        label: "Où ?"
        options: ["Rue A | 50.6958, 3.1612", "Place B | 50.6921, 3.1640"]
        translations:
          ar: {options: ["شارع A", "ساحة B | 50.6921, 3.1640"]}
"""


def _content(tmp_path, campaign=CAMPAIGN):
    from tests.test_content import write

    write(tmp_path, "quartiers/epeule.md", QUARTIER)
    write(tmp_path, "consultations/essai.yaml", campaign)
    return tmp_path


def _campaign() -> Campaign:
    return db.session.scalar(db.select(Campaign).filter_by(slug="essai"))


def test_translations_of_sections_questions_and_options_are_loaded(db, tmp_path):
    load_content(_content(tmp_path))
    section = _campaign().sections[0]
    yes, when, scale, where = section.questions
    assert section.translations == {"ar": {"title": "الجزء"}}
    assert [o.translations for o in yes.options] == [{"en": {"label": "Yes"}, "ar": {
        "label": "نعم"}}, {"en": {"label": "No"}, "ar": {"label": "لا"}}]
    assert when.translations == {"en": {"label": "When?", "help_text": "One answer."},
                                 "ar": {"label": "متى؟"}}
    assert [o.translations for o in when.options] == [
        {"en": {"label": "In the morning"}, "ar": {"label": "في الصباح"}},
        {"en": {"label": "Other"}, "ar": {"label": "شيء آخر"}}]
    assert scale.translations == {"ar": {"min_label": "أبدًا", "max_label": "كثيرًا"}}
    # A place's translation is its name: the point stays the French one's.
    assert [(o.label, o.latitude, o.translations) for o in where.options] == [
        ("Rue A", 50.6958, {"ar": {"label": "شارع A"}}),
        ("Place B", 50.6921, {"ar": {"label": "ساحة B"}})]


def test_demo_questionnaires_are_translated_in_english_and_arabic(demo_content):
    for campaign in db.session.scalars(db.select(Campaign).filter_by(is_demo=True)):
        for lang in ("en", "ar"):
            texts = campaign.translations[lang]
            assert {"title", "summary", "easy_read", "presentation"} <= set(texts)
            assert bool(campaign.outcome) == ("outcome" in texts)
            for section in campaign.sections:
                assert section.translations[lang]["title"]
                for question in section.questions:
                    wanted = {"label"} | {name for name in ("help_text", "min_label",
                                                            "max_label")
                                          if getattr(question, name)}
                    assert wanted <= set(question.translations[lang]), question.label
                    for option in question.options:
                        assert option.translations[lang]["label"], option.label


@pytest.mark.parametrize("broken, expected", [
    ('ar: {options: ["في الصباح"]}', "section 1, question 2: translations.ar.options has 1 "
                                      "label(s) for 2 option(s)"),
    ("ar: [une, liste]", "section 1, question 2: translations must map a language"),
    ('de: {label: "Wann?"}', "section 1, question 2: translations: unknown language(s) de"),
    ('en: {labels: "When?"}', "section 1, question 2: translations.en: unknown field(s) labels"),
    ('en: {label: [When, "?"]}', "section 1, question 2: translations.en.label must be a text"),
    ('en: {options: {a: b}}', "translations.en.options must be a list of texts"),
    ('en: {options: ["In the morning", ""]}', "translations.en.options[2]: an empty label"),
    ('en: {label: "W\\0hen?"}', NUL_PROBLEM),
])
def test_bad_question_translations_are_reported_with_file_and_field(db, tmp_path, broken,
                                                                    expected):
    campaign = CAMPAIGN.replace(
        'en: {label: "When?", help: "One answer.", options: ["In the morning", "* Other"]}',
        broken).replace('ar: {label: "متى؟", options: ["في الصباح", "شيء آخر"]}', "")
    with pytest.raises(ContentErrors) as caught:
        load_content(_content(tmp_path, campaign))
    assert [(e.path, e.message) for e in caught.value.errors
            if expected in e.message][0][0] == "consultations/essai.yaml"
    assert _campaign() is None


@pytest.mark.parametrize("old, new, expected", [
    ('ساحة B | 50.6921, 3.1640', 'ساحة B | 50.6900, 3.1600',
     "section 1, question 4: translations.ar.options[2]: a translated place keeps the French"),
    ('ar: {title: "الجزء"}', 'ar: "الجزء"', "section 1: translations must map a language"),
    ('      - kind: yes_no\n        label: "Venez-vous ?"\n', '      - "Venez-vous ?"\n',
     "section 1: questions must be a list of {kind, label}"),
    ('  - title: "Partie"\n', '  - "Partie"\n  - title: "Partie"\n',
     "sections must be a list of {title, questions}"),
    ("results: live", "results: live\ngenerate_responses: beaucoup",
     "generate_responses must be a whole number"),
])
def test_bad_questionnaire_shapes_are_reported(db, tmp_path, old, new, expected):
    assert old in CAMPAIGN
    with pytest.raises(ContentErrors) as caught:
        load_content(_content(tmp_path, CAMPAIGN.replace(old, new)))
    assert any(expected in e.message and e.path == "consultations/essai.yaml"
               for e in caught.value.errors), caught.value.errors


def _answer(campaign: Campaign) -> None:
    from portal.consultations.answering import read_answers
    from portal.consultations.editing import record_response

    when = campaign.sections[0].questions[1]
    parsed = read_answers(campaign, MultiDict({when.field_name: str(when.options[0].id)}))
    assert parsed.ok, parsed.errors
    record_response(campaign, parsed, key="k" * 20, channel=Channel.ONLINE)


def test_new_translations_keep_the_answers_already_given(db, tmp_path):
    root = _content(tmp_path)
    load_content(root)
    _answer(_campaign())
    db.session.commit()
    ids = [q.id for q in _campaign().sections[0].questions]
    (root / "consultations/essai.yaml").write_text(
        CAMPAIGN.replace('"In the morning"', '"Early"') + "translations: {en: {title: Test}}\n",
        encoding="utf-8")
    assert ("consultations", "updated") in load_content(root).counts
    db.session.expire_all()
    campaign = _campaign()
    assert [q.id for q in campaign.sections[0].questions] == ids
    assert campaign.sections[0].questions[1].options[0].translations["en"] == {"label": "Early"}
    assert campaign.translations == {"en": {"title": "Test"}}
    assert db.session.scalar(db.select(func.count()).where(
        Response.campaign_id == campaign.id)) == 1
    assert ("consultations", "unchanged") in load_content(root).counts


def test_a_changed_questionnaire_replaces_the_demonstration_campaign(db, tmp_path):
    root = _content(tmp_path)
    load_content(root)
    _answer(_campaign())
    db.session.commit()
    (root / "consultations/essai.yaml").write_text(
        CAMPAIGN.replace('"Quand ?"', '"À quelle heure ?"'), encoding="utf-8")
    assert ("consultations", "updated") in load_content(root).counts
    assert db.session.scalar(db.select(func.count()).select_from(Response)) == 0
