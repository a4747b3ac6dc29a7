"""Registration without an account: places in people, waiting list and promotion, the same
contact twice, the signed cancellation link, closed registrations, staff registering
someone with the channel, the retention command."""

import re
from datetime import timedelta

import pytest

from portal.events import registrations
from portal.events.models import Channel, Registration, RegistrationStatus
from portal.extensions import db
from tests.backoffice_helpers import token_from
from tests.events.factories import make_registration, with_registration
from tests.factories import make_quartier


@pytest.fixture
def alma(db):
    return make_quartier("alma")


def fill(client, event, **changes):
    url = f"/agenda/{event.id}/inscription"
    token = token_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "name": "Samira", "phone": "06 12 34 56 78", "email": "",
            "people": "2", "needs": ["garde-enfants"], "consent": "y"}
    data.update(changes)
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def rows(event) -> list[Registration]:
    return list(db.session.scalars(db.select(Registration).filter_by(event_id=event.id)))


def test_register_then_confirmation_page_with_ics_and_cancel_link(now, client, alma):
    event = with_registration(alma, capacity=10)
    response = fill(client, event)
    assert response.status_code == 302
    [row] = rows(event)
    assert row.status is RegistrationStatus.CONFIRMED and row.phone == "+33612345678"
    assert row.channel is Channel.ONLINE and row.needs == ["garde-enfants"]
    db.session.refresh(event)
    assert event.seats_taken == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 places sont réservées pour vous" in page
    assert f"/agenda/{event.id}.ics" in page and "Annuler mon inscription" in page


def test_registering_twice_says_already_registered(now, client, alma):
    event = with_registration(alma)
    fill(client, event)
    again = fill(client, event, phone="+33 6 12 34 56 78", name="Autre")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Vous êtes déjà inscrit" in page
    assert len(rows(event)) == 1
    db.session.refresh(event)
    assert event.seats_taken == 2


@pytest.mark.parametrize("changes, message", [
    ({"phone": "", "email": ""}, "Donnez un numéro de portable ou une adresse e-mail"),
    ({"phone": "12"}, "Ce numéro de téléphone n’est pas valide"),
    ({"email": "pas-une-adresse", "phone": ""}, "Cette adresse e-mail n’est pas valide."),
    ({"people": "0"}, "Entre 1 et 10 personnes."),
    ({"people": "beaucoup"}, 'id="people-erreur"'),
    ({"consent": None}, "Cochez cette case pour vous inscrire."),
    ({"name": ""}, 'id="name-erreur"'),
    ({"people": "5"}, "Il reste 3 place(s)"),
])
def test_bad_registration_is_refused_by_the_field(now, client, alma, changes, message):
    event = with_registration(alma, capacity=3)
    response = fill(client, event, **changes)
    html = response.get_data(as_text=True).replace("&#39;", "’")
    assert response.status_code == 422
    assert message in html
    assert rows(event) == []


def test_csrf_is_refused(now, client, alma):
    event = with_registration(alma)
    response = client.post(f"/agenda/{event.id}/inscription",
                           data={"name": "X", "phone": "0612345678", "people": "1",
                                 "consent": "y", "csrf_token": "faux"})
    assert response.status_code == 400 and rows(event) == []


def test_closed_registrations(now, client, alma, frozen_clock):
    from portal.events.models import EventStatus

    open_one = with_registration(alma)
    token = token_from(client.get(f"/agenda/{open_one.id}/inscription").get_data(as_text=True))
    cancelled = with_registration(alma, status=EventStatus.CANCELLED)
    late = with_registration(alma, registration_deadline=now - timedelta(hours=1))
    for event, message in ((cancelled, "annulé"), (late, "Les inscriptions sont closes.")):
        response = client.post(f"/agenda/{event.id}/inscription", data={
            "csrf_token": token, "name": "Samira", "phone": "0612345678", "people": "1",
            "consent": "y"})
        assert response.status_code == 409, message
        assert message in response.get_data(as_text=True)
        assert rows(event) == []


def test_full_event_puts_people_on_the_waiting_list_and_cancel_promotes(now, client, alma):
    event = with_registration(alma, capacity=2)
    first = make_registration(event, people=2)
    waiting_big = registrations.register(event, name="Trois", email="trois@x.fr", people=3)
    waiting_one = registrations.register(event, name="Une", email="une@x.fr", people=1)
    db.session.commit()
    assert waiting_big.status == "waiting" and waiting_one.status == "waiting"
    page = client.get(f"/agenda/inscription/{registrations.token(first)}")
    token = token_from(page.get_data(as_text=True))
    client.post(f"/agenda/inscription/{registrations.token(first)}",
                data={"csrf_token": token})
    db.session.expire_all()
    by_name = {r.name: r for r in rows(event)}
    # The party of three does not fit in two places; the person alone after it does.
    assert by_name["Trois"].status is RegistrationStatus.WAITING
    assert by_name["Une"].status is RegistrationStatus.CONFIRMED
    assert by_name[first.name].status is RegistrationStatus.CANCELLED
    assert db.session.get(type(event), event.id).seats_taken == 1


def test_tampered_or_expired_cancellation_link(now, client, alma, frozen_clock):
    event = with_registration(alma)
    row = make_registration(event)
    link = registrations.token(row)
    assert client.get(f"/agenda/inscription/{link}x").status_code == 404
    assert client.get("/agenda/inscription/abc.def").status_code == 404
    page = client.get(f"/agenda/inscription/{link}").get_data(as_text=True)
    token = token_from(page)
    frozen_clock(now + timedelta(days=30))  # the event is over
    response = client.post(f"/agenda/inscription/{link}", data={"csrf_token": token})
    assert response.status_code == 410
    db.session.refresh(row)
    assert row.status is RegistrationStatus.CONFIRMED


def test_staff_register_someone_with_the_channel(now, project_client, quartiers):
    event = with_registration(quartiers["alma"])
    url = f"/admin/agenda/{event.id}/inscrits"
    token = token_from(project_client.get(url).get_data(as_text=True))
    response = project_client.post(url, data={
        "csrf_token": token, "channel": "mobile_house", "name": "Karim",
        "phone": "0612345679", "people": "1", "consent": "y"})
    assert response.status_code == 302
    [row] = rows(event)
    assert row.channel is Channel.MOBILE_HOUSE
    html = project_client.get(url).get_data(as_text=True)
    assert "Karim" in html and "Maison Mobile" in html
    csv = project_client.get(f"/admin/agenda/{event.id}/inscrits.csv").get_data(as_text=True)
    assert "Karim" in csv and "06 12 34 56 79" in csv
    sheet = project_client.get(f"/admin/agenda/{event.id}/emargement").get_data(as_text=True)
    assert "Karim" in sheet


def test_registrants_are_personal_data(now, app, quartiers):
    from portal.backoffice.models import Role
    from tests.backoffice_helpers import log_in_as, make_user

    event = with_registration(quartiers["alma"])
    make_registration(event, name="Nadia")
    other = app.test_client()
    log_in_as(other, make_user(Role.TEAM, quartiers=[quartiers["pile"]]))
    assert other.get(f"/admin/agenda/{event.id}/inscrits").status_code == 403
    assert "Nadia" not in app.test_client().get(f"/agenda/{event.id}").get_data(as_text=True)


def test_retention_command_erases_contacts_30_days_after(now, app, alma, frozen_clock):
    event = with_registration(alma)
    row = make_registration(event, name="Nadia", phone="+33612345678")
    runner = app.test_cli_runner()
    runner.invoke(args=["events", "forget-contacts"])
    db.session.refresh(row)
    assert row.name == "Nadia"  # not yet
    frozen_clock(now + timedelta(days=36))
    result = runner.invoke(args=["events", "forget-contacts"])
    assert "1 registration" in result.output
    db.session.refresh(row)
    assert (row.name, row.phone, row.email, row.contact_key) == ("", "", "", None)
    assert row.people == 1 and row.erased_at is not None


def test_privacy_page_says_how_long_contacts_are_kept(client, db):
    html = client.get("/donnees-personnelles").get_data(as_text=True)
    assert re.search(r"rendez-vous.*30 jours", html, re.S)


def test_someone_who_cancelled_may_register_again(now, alma):
    event = with_registration(alma, capacity=5)
    first = registrations.register(event, name="Samira", phone="0612345678", people=2)
    registrations.cancel(first.registration)
    again = registrations.register(event, name="Samira", phone="06 12 34 56 78", people=1)
    db.session.commit()
    assert again.status == "confirmed" and again.registration.id == first.registration.id
    assert db.session.get(type(event), event.id).seats_taken == 1
