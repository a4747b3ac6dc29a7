"""Residents on a contribution's page, without an account: "Moi aussi" (counted once per
browser and per form, limited per address, the count on the page) and "Signaler un abus"
(a reason required; after CONTRIBUTION_ABUSE_LIMIT reports since the last decision, off the
site and back in the validation queue, moderators told). Nothing about the person is kept:
no address in any table."""

import pytest

from portal.backoffice.models import AuditEntry
from portal.contributions.models import ContributionAbuseReport, ContributionSupport
from portal.extensions import db, limiter
from portal.publication import PublicationStatus
from tests.contributions.factories import make_contribution, press, supports_of


@pytest.fixture
def row(now, quartiers):
    return make_contribution(quartiers["alma"])


def test_moi_aussi_counts_once_and_shows_the_count(client, row):
    assert "Personne ne la soutient encore." in client.get(
        f"/contributions/{row.id}").get_data(as_text=True)
    response = press(client, row.id, "soutenir")
    assert response.status_code == 302 and "merci=soutien" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 personne soutient cette contribution." in page
    assert "Merci : votre soutien est compté." in page and "Vous la soutenez." in page
    assert 'name="soutien-key"' not in page  # no button for the same browser
    again = press(client, row.id, "soutenir")  # the same browser, a form kept from before
    assert "deja-soutenu" in again.headers["Location"]
    assert supports_of(row) == 1


def test_the_same_form_sent_twice_counts_once(app, row):
    key = "m" * 32
    first, second = app.test_client(), app.test_client()  # no cookie in common
    assert press(first, row.id, "soutenir", key=key).status_code == 302
    assert press(second, row.id, "soutenir", key=key).status_code == 302
    assert supports_of(row) == 1


def test_another_browser_counts_and_nothing_personal_is_kept(app, row):
    for _n in range(2):
        assert press(app.test_client(), row.id, "soutenir").status_code == 302
    assert supports_of(row) == 2
    for support in db.session.scalars(db.select(ContributionSupport)):
        assert "127.0.0.1" not in support.key  # a random key, nothing about the person


def test_a_loop_of_supports_from_one_address_is_stopped(app, row, monkeypatch,
                                                        nothing_written):
    monkeypatch.setitem(app.config, "CONTRIBUTION_SUPPORT_PER_ITEM", "2 per day")
    limiter.reset()
    for _n in range(2):  # cookies thrown away each time: the address still counts
        assert press(app.test_client(), row.id, "soutenir").status_code == 302
    with nothing_written():
        assert press(app.test_client(), row.id, "soutenir").status_code == 429
    other = make_contribution(row.quartier)
    assert press(app.test_client(), other.id, "soutenir").status_code == 302


def test_the_address_limit_holds_across_contributions(app, row, monkeypatch):
    monkeypatch.setitem(app.config, "CONTRIBUTION_SUPPORT_LIMIT", "3 per hour")
    limiter.reset()
    client = app.test_client()
    for _n in range(3):
        press(client, make_contribution(row.quartier).id, "soutenir")
    assert press(client, row.id, "soutenir").status_code == 429


@pytest.mark.parametrize("key", ["court", "<script>alert(1)</script>" + "x" * 20, "k" * 65])
def test_a_tampered_key_is_refused_and_nothing_is_written(client, row, key, nothing_written):
    with nothing_written():
        response = press(client, row.id, "soutenir", key=key)
    assert response.status_code == 422
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_csrf_is_refused(client, row, nothing_written):
    with nothing_written():
        response = client.post(f"/contributions/{row.id}/soutenir",
                               data={"soutien-key": "k" * 32})
        assert response.status_code == 400
        response = client.post(f"/contributions/{row.id}/signaler",
                               data={"abus-key": "k" * 32, "abus-reason": "insulte"})
        assert response.status_code == 400


def test_a_pending_or_unknown_contribution_takes_no_support(client, row, nothing_written):
    waiting = make_contribution(row.quartier, publication_status=PublicationStatus.PENDING)
    with nothing_written():
        assert press(client, waiting.id, "soutenir").status_code == 404
        assert press(client, 999999, "soutenir").status_code == 404


@pytest.mark.parametrize("reason", ["", "<b>x</b>", "insulte" * 10])
def test_abuse_needs_a_reason_from_the_list(client, row, reason, nothing_written):
    with nothing_written():
        response = press(client, row.id, "signaler", reason=reason)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="abus-reason-erreur"' in page and "<details class=\"abuse\" open>" in page
    assert "<b>x</b>" not in page


def test_abuse_reports_are_counted_once_per_browser(client, row):
    response = press(client, row.id, "signaler", reason="insulte")
    assert response.status_code == 302 and "merci=signalement" in response.headers["Location"]
    assert "Signaler un abus</summary>" not in client.get(
        response.headers["Location"]).get_data(as_text=True)
    again = press(client, row.id, "signaler", reason="faux")
    assert "deja-signale" in again.headers["Location"]
    assert db.session.scalar(db.select(db.func.count()).select_from(
        ContributionAbuseReport)) == 1


def test_after_n_reports_it_is_off_the_site_until_a_moderator_decides(
        app, client, row, project_client, monkeypatch, frozen_clock, now):
    from datetime import timedelta

    from portal.messages.models import StaffPending

    monkeypatch.setitem(app.config, "CONTRIBUTION_ABUSE_LIMIT", 3)
    for n, reason in enumerate(("insulte", "personne")):
        assert press(app.test_client(), row.id, "signaler", reason=reason,
                     address=f"10.0.0.{n}").status_code == 302
    assert client.get(f"/contributions/{row.id}").status_code == 200
    assert press(app.test_client(), row.id, "signaler", reason="faux",
                 address="10.0.0.1").status_code == 429  # one person cannot hide it alone
    last = press(app.test_client(), row.id, "signaler", reason="insulte", address="10.0.0.9")
    assert last.status_code == 302 and "/contributions/?merci=signalement" in last.headers[
        "Location"]
    db.session.expire_all()
    assert row.publication_status is PublicationStatus.PENDING
    assert client.get(f"/contributions/{row.id}").status_code == 404
    assert str(row.id) not in client.get("/contributions.geojson").get_data(as_text=True)
    assert f"Contribution n° {row.id}" in project_client.get("/admin/a-valider/").get_data(
        as_text=True)
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "abuse_queue")).one()
    assert entry.actor_id is None and entry.changes["abuse_reports"] == [None, 3]
    told = db.session.scalars(db.select(StaffPending)).all()
    from portal.messages.models import Message
    assert told or db.session.scalars(db.select(Message).where(
        Message.kind == "staff_awaiting")).all()
    detail = project_client.get(f"/admin/contributions/{row.id}").get_data(as_text=True)
    assert "2 signalements d’abus" in detail and "Propos injurieux" in detail
    # A moderator publishes it again: the reports seen no longer count, new ones do.
    frozen_clock(now + timedelta(hours=1))
    from tests.contributions.test_admin import post

    post(project_client, f"/admin/contributions/{row.id}/publier",
         **{"publier-text": row.text})
    db.session.expire_all()
    assert row.is_published
    frozen_clock(now + timedelta(hours=2))
    limiter.reset()
    press(app.test_client(), row.id, "signaler", reason="faux")
    db.session.expire_all()
    assert row.is_published and row.decision_note == ""


def test_the_page_says_what_residents_can_do_in_arabic(client, row):
    page = client.get(f"/contributions/{row.id}?lang=ar").get_data(as_text=True)
    assert 'name="soutien-key"' in page and 'name="abus-reason"' in page
    assert "Signaler un abus" not in page  # translated
