"""Maison Mobile in the back office: the visit form, its readable summary, cancellations by
neighbourhood teams (own quartier only, even with a tampered form)."""

from datetime import date, datetime, time

import pytest
from flask_babel import force_locale

from portal.backoffice.models import AuditEntry
from portal.clock import PARIS
from portal.mobile_house.models import Visit, VisitCancellation
from portal.mobile_house.summary import describe, parse_simple_rule
from portal.publication import PublicationStatus
from tests.backoffice_helpers import token_from
from tests.mobile_house.factories import cancel, make_holiday, make_visit

NEW = "/admin/maison-du-projet/nouveau"


@pytest.fixture(autouse=True)
def fixed_clock(frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))


def visit_form(client, where, **changes):
    data = {
        "csrf_token": token_from(client.get("/admin/").get_data(as_text=True)),
        "quartier": str(where.id), "place_name": "Place de la Fraternité",
        "place_name_en": "Fraternity square", "place_name_ar": "ساحة الأخوة",
        "address": "Place de la Fraternité, 59100 Roubaix", "latitude": "50.6929",
        "longitude": "3.1744", "kind": "weekly", "weekdays": ["TU"],
        "starts_on": "2027-01-06", "ends_on": "2027-06-30", "start_time": "14:00",
        "end_time": "17:00", "exception_dates": "2027-02-16\n02/03/2027\n2027-04-13",
        "themes": ["relogement"], "partners": "Équipe projet\nCCAS", "published": "y",
        "description": "Questions sur le relogement.", "submit": "Enregistrer",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_summary_reads_like_a_sentence(app, db, quartiers):
    visit = Visit(starts_on=date(2027, 1, 6), ends_on=date(2027, 6, 30), start_time=time(14),
                  end_time=time(17), rrule="FREQ=WEEKLY;BYDAY=TU",
                  exception_dates=["2027-02-16", "2027-03-02", "2027-04-13"])
    with app.test_request_context("/"), force_locale("fr"):
        assert describe(visit) == ("tous les mardis de 14 h à 17 h, du 6 janvier au "
                                   "30 juin 2027, sauf 3 dates")
        visit.rrule, visit.start_time = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", time(9, 30)
        visit.exception_dates, visit.skip_school_holidays = [], True
        assert describe(visit) == ("les lundis et jeudis une semaine sur deux, de 9 h 30 à "
                                   "17 h, du 6 janvier au 30 juin 2027, hors vacances scolaires")
        visit.rrule = None
        assert describe(visit) == "le mercredi 6 janvier 2027 de 9 h 30 à 17 h"
    with app.test_request_context("/"), force_locale("en"):
        visit.rrule, visit.skip_school_holidays = "FREQ=WEEKLY;BYDAY=TU", False
        assert describe(visit).startswith("on Tuesdays, from 9:30")


def test_rules_the_form_can_show_are_recognised():
    assert parse_simple_rule(None) == ("once", [])
    assert parse_simple_rule("FREQ=WEEKLY;BYDAY=TU,TH") == ("weekly", ["TU", "TH"])
    assert parse_simple_rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH") == ("biweekly", ["TH"])
    assert parse_simple_rule("FREQ=MONTHLY;BYDAY=1SA") == ("custom", ["1SA"])


def test_project_team_plans_a_series(project_client, db, quartiers):
    response = project_client.post(NEW, data=visit_form(project_client, quartiers["alma"]))
    assert response.status_code == 302
    visit = db.session.scalar(db.select(Visit))
    assert visit.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert visit.exception_dates == ["2027-02-16", "2027-03-02", "2027-04-13"]
    assert visit.partners == ["Équipe projet", "CCAS"]
    assert visit.translations == {"en": {"place_name": "Fraternity square"},
                                  "ar": {"place_name": "ساحة الأخوة"}}
    assert visit.publication_status is PublicationStatus.PUBLISHED and visit.slug.startswith("alma-place-de-la")
    follow = project_client.get("/admin/maison-du-projet/")
    assert "tous les mardis de 14 h à 17 h" in follow.get_data(as_text=True)
    entry = db.session.scalar(db.select(AuditEntry))
    assert entry.action == "create" and entry.quartier_id == quartiers["alma"].id


def test_summary_button_shows_the_sentence_without_saving(project_client, db, quartiers):
    data = visit_form(project_client, quartiers["alma"], submit=None, preview="Voir le résumé")
    response = project_client.post(NEW, data=data)
    assert response.status_code == 200
    assert "tous les mardis de 14 h à 17 h, du 6 janvier au 30 juin 2027, sauf 3 dates" in \
        response.get_data(as_text=True)
    assert db.session.scalar(db.select(Visit)) is None


@pytest.mark.parametrize("changes, field", [
    ({"place_name": ""}, "place_name"),
    ({"address": ""}, "address"),
    ({"quartier": "9999"}, "quartier"),
    ({"starts_on": "hier"}, "starts_on"),
    ({"ends_on": "2026-01-01"}, "ends_on"),
    ({"ends_on": ""}, "ends_on"),
    ({"end_time": "13:00"}, "end_time"),
    ({"weekdays": []}, "weekdays"),
    ({"latitude": "48.85"}, "latitude"),
    ({"longitude": ""}, "longitude"),
    ({"exception_dates": "un jour"}, "exception_dates"),
    ({"kind": "custom", "custom_rule": "FREQ=SOMETIMES"}, "custom_rule"),
    ({"kind": "custom", "custom_rule": "FREQ=WEEKLY;COUNT=3"}, "custom_rule"),
    ({"place_name_en": "x" * 201}, "place_name_en"),
])
def test_each_invalid_field_is_reported(project_client, db, quartiers, changes, field):
    response = project_client.post(NEW, data=visit_form(project_client, quartiers["alma"],
                                                         **changes))
    assert response.status_code == 422
    assert f'id="{field}-erreur"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Visit)) is None


def test_visit_form_without_csrf_is_refused(project_client, db, quartiers, nothing_written):
    data = visit_form(project_client, quartiers["alma"], csrf_token=None)
    with nothing_written():
        assert project_client.post(NEW, data=data).status_code == 400


def test_one_off_and_custom_rule(project_client, db, quartiers):
    once = visit_form(project_client, quartiers["pile"], kind="once", ends_on="",
                      weekdays=[], starts_on="2027-03-13")
    assert project_client.post(NEW, data=once).status_code == 302
    custom = visit_form(project_client, quartiers["pile"], kind="custom", weekdays=[],
                        custom_rule="FREQ=MONTHLY;BYDAY=1SA", place_name="Marché")
    assert project_client.post(NEW, data=custom).status_code == 302
    rules = {v.place_name: (v.rrule, v.ends_on) for v in db.session.scalars(db.select(Visit))}
    assert rules["Place de la Fraternité"] == (None, date(2027, 3, 13))
    assert rules["Marché"][0] == "FREQ=MONTHLY;BYDAY=1SA"


def test_edit_keeps_the_rule_and_logs_changes(project_client, db, quartiers):
    visit = make_visit(quartiers["alma"], slug="alma-mardi", rrule="FREQ=WEEKLY;BYDAY=TU")
    url = f"/admin/maison-du-projet/{visit.id}"
    page = project_client.get(url).get_data(as_text=True)
    assert 'value="TU" checked' in page or 'checked id="weekdays-1"' in page or \
        ('value="TU"' in page and "checked" in page)
    data = visit_form(project_client, quartiers["alma"], end_time="18:00",
                      starts_on="2026-09-01", ends_on="2027-07-03")
    assert project_client.post(url, data=data).status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="update"))
    assert entry.changes["end_time"] == ["17:00:00", "18:00:00"]


def test_team_cancels_an_occurrence_of_its_quartier(team_client, db, quartiers, client):
    visit = make_visit(quartiers["alma"], slug="alma-mardi", rrule="FREQ=WEEKLY;BYDAY=TU")
    url = f"/admin/maison-du-projet/{visit.id}/annuler"
    page = team_client.get(url)
    assert page.status_code == 200
    assert 'value="2026-12-01"' in page.get_data(as_text=True)
    response = team_client.post(url, data={
        "csrf_token": token_from(page.get_data(as_text=True)), "occurs_on": "2026-12-01",
        "reason": "Réunion publique à l’Hôtel de Ville", "reason_en": "Public meeting"})
    assert response.status_code == 302
    (cancellation,) = visit.cancellations
    assert cancellation.occurs_on == date(2026, 12, 1)
    assert cancellation.translations == {"en": {"reason": "Public meeting"}}
    public = client.get("/maison-du-projet/?quartier=alma").get_data(as_text=True)
    assert "Réunion publique à l’Hôtel de Ville" in public.replace("&#39;", "’")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="cancel"))
    assert entry.actor_id == team_client.user.id
    assert entry.changes["cancelled"] == [None, "2026-12-01"]


def test_cancel_form_errors(team_client, db, quartiers, nothing_written):
    visit = make_visit(quartiers["alma"], slug="alma-mardi", rrule="FREQ=WEEKLY;BYDAY=TU")
    url = f"/admin/maison-du-projet/{visit.id}/annuler"
    token = token_from(team_client.get(url).get_data(as_text=True))
    no_reason = team_client.post(url, data={"csrf_token": token, "occurs_on": "2026-12-01",
                                            "reason": ""})
    assert no_reason.status_code == 422
    assert 'id="reason-erreur"' in no_reason.get_data(as_text=True)
    # A day without a visit (a Wednesday) or already over is not a choice.
    for day in ("2026-12-02", "2026-11-17"):
        wrong = team_client.post(url, data={"csrf_token": token, "occurs_on": day,
                                            "reason": "Panne"})
        assert wrong.status_code == 422
    with nothing_written():
        assert team_client.post(url, data={"occurs_on": "2026-12-01",
                                           "reason": "x"}).status_code == 400
    assert db.session.scalar(db.select(VisitCancellation)) is None


def test_team_cannot_cancel_another_quartier_visit(team_client, db, quartiers,
                                                   nothing_written):
    other = make_visit(quartiers["pile"], slug="pile-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH")
    url = f"/admin/maison-du-projet/{other.id}/annuler"
    assert team_client.get(url).status_code == 403
    token = token_from(team_client.get("/admin/").get_data(as_text=True))
    with nothing_written():
        response = team_client.post(url, data={"csrf_token": token, "occurs_on": "2026-12-03",
                                               "reason": "Tentative"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(VisitCancellation)) is None


def test_team_cannot_restore_another_quartier_cancellation(team_client, db, quartiers,
                                                           nothing_written):
    other = make_visit(quartiers["pile"], slug="pile-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH")
    row = cancel(other, date(2026, 12, 3))
    token = token_from(team_client.get("/admin/").get_data(as_text=True))
    with nothing_written():
        response = team_client.post(f"/admin/maison-du-projet/annulations/{row.id}/retablir",
                                    data={"csrf_token": token, "restore-csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(VisitCancellation, row.id) is not None


def test_team_restores_its_own_cancellation(team_client, db, quartiers):
    visit = make_visit(quartiers["alma"], slug="alma-mardi", rrule="FREQ=WEEKLY;BYDAY=TU")
    row = cancel(visit, date(2026, 12, 1))
    page = team_client.get(f"/admin/maison-du-projet/{visit.id}/annuler")
    token = token_from(page.get_data(as_text=True))
    response = team_client.post(f"/admin/maison-du-projet/annulations/{row.id}/retablir",
                                data={"restore-csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(VisitCancellation, row.id) is None
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="restore")) is not None


def test_team_sees_only_its_quartiers_visits(team_client, db, quartiers):
    make_visit(quartiers["alma"], slug="alma-mardi", place_name="Parvis Jules-Guesde")
    make_visit(quartiers["pile"], slug="pile-jeudi", place_name="Square de Condé")
    html = team_client.get("/admin/maison-du-projet/").get_data(as_text=True)
    assert "Parvis Jules-Guesde" in html and "Square de Condé" not in html
    assert "Programmer un passage" not in html


def test_team_cannot_plan_or_edit_visits(team_client, db, quartiers, nothing_written):
    visit = make_visit(quartiers["alma"], slug="alma-mardi")
    assert team_client.get(NEW).status_code == 403
    assert team_client.get(f"/admin/maison-du-projet/{visit.id}").status_code == 403
    data = visit_form(team_client, quartiers["alma"])
    with nothing_written():
        assert team_client.post(NEW, data=data).status_code == 403
        assert team_client.post(f"/admin/maison-du-projet/{visit.id}",
                                data=data).status_code == 403


def test_delete_visit_with_confirmation(project_client, db, quartiers):
    visit = make_visit(quartiers["alma"], slug="alma-mardi")
    url = f"/admin/maison-du-projet/{visit.id}/supprimer"
    page = project_client.get(url)
    assert page.status_code == 200
    project_client.post(url, data={"csrf_token": token_from(page.get_data(as_text=True))})
    assert db.session.get(Visit, visit.id) is None


def test_dashboard_asks_for_the_next_school_holidays(project_client, db, quartiers):
    make_holiday(date(2027, 7, 3), date(2027, 8, 31), "Vacances d’été 2027")
    make_visit(quartiers["alma"], slug="courte", ends_on=date(2027, 6, 30),
               skip_school_holidays=True)
    make_visit(quartiers["pile"], slug="sans-vacances", ends_on=date(2028, 7, 1),
               skip_school_holidays=False)
    assert "Vacances scolaires à compléter" not in project_client.get("/admin/").get_data(
        as_text=True)
    make_visit(quartiers["pile"], slug="longue", place_name="Place Carnot",
               ends_on=date(2028, 7, 1), skip_school_holidays=True)
    html = project_client.get("/admin/").get_data(as_text=True)
    block = html.split('id="bloc-visits-holidays"')[1].split("</section>")[0]
    assert "31 août 2027" in block and "content/school_holidays.yaml" in block
    assert "Place Carnot" in block and "Place courte" not in block
