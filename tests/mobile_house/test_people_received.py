"""People received at a passage, entered by the team from a phone at the end of the visit."""

from datetime import date, datetime

import pytest

from portal.backoffice.models import AuditEntry
from portal.clock import PARIS
from portal.extensions import db
from portal.mobile_house.models import VisitReport
from tests.backoffice_helpers import token_from
from tests.mobile_house.factories import cancel, make_visit

pytest_plugins = ["tests.backoffice_helpers"]


@pytest.fixture
def visit(quartiers, frozen_clock):
    frozen_clock(datetime(2026, 3, 18, 17, 30, tzinfo=PARIS))
    row = make_visit(quartiers["alma"], slug="alma-mercredi", starts_on=date(2026, 1, 7),
                     ends_on=date(2026, 6, 24))
    cancel(row, date(2026, 3, 11))
    return row


def url(visit) -> str:
    return f"/admin/maison-du-projet/{visit.id}/personnes-recues"


def test_team_records_today_passage_and_corrects_it(team_client, visit):
    page = team_client.get(url(visit)).get_data(as_text=True)
    assert 'value="2026-03-18"' in page and 'value="2026-03-11"' not in page  # cancelled
    assert 'inputmode="numeric"' in page
    for people in (14, 15):
        response = team_client.post(url(visit), data={
            "csrf_token": token_from(page), "occurs_on": "2026-03-18",
            "people_received": str(people)})
        assert response.status_code == 302
    rows = db.session.scalars(db.select(VisitReport)).all()
    assert [(r.occurs_on, r.people_received, r.quartier_id) for r in rows] == [
        (date(2026, 3, 18), 15, visit.quartier_id)]
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "people_received")) == 2


@pytest.mark.parametrize("data, message", [
    ({"occurs_on": "2026-03-18", "people_received": ""}, "Indiquez un nombre"),
    ({"occurs_on": "2026-03-18", "people_received": "-3"}, "entre 0 et 2000"),
    ({"occurs_on": "2026-03-18", "people_received": "100000"}, "entre 0 et 2000"),
    ({"occurs_on": "2026-03-18", "people_received": "douze"}, "nombre"),
    ({"occurs_on": "2026-03-11", "people_received": "4"}, "Passage"),
    ({"occurs_on": "2026-04-01", "people_received": "4"}, "Passage"),
])
def test_invalid_entries_are_shown_again_with_a_message(team_client, visit, nothing_written,
                                                        data, message):
    token = token_from(team_client.get(url(visit)).get_data(as_text=True))
    with nothing_written():
        response = team_client.post(url(visit), data={"csrf_token": token, **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{data["people_received"]}"' in html or data["people_received"] == ""


def test_csrf_is_refused(team_client, visit, nothing_written):
    with nothing_written():
        response = team_client.post(url(visit), data={"occurs_on": "2026-03-18",
                                                       "people_received": "3"})
    assert response.status_code in (400, 422)


def test_team_of_another_quartier_is_refused(app, visit, quartiers, nothing_written):
    from portal.backoffice.models import Role
    from tests.backoffice_helpers import log_in_as, make_user

    client = app.test_client()
    log_in_as(client, make_user(Role.TEAM, quartiers=[quartiers["pile"]]))
    assert client.get(url(visit)).status_code == 403
    token = token_from(client.get("/admin/").get_data(as_text=True))
    with nothing_written():
        assert client.post(url(visit), data={"csrf_token": token, "occurs_on": "2026-03-18",
                                              "people_received": "3"}).status_code == 403
