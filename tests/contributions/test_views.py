"""The resident form without an account (valid case, each invalid case with the message by
the field and the typed values kept, the honeypot, CSRF, the idempotency key, the photo),
the follow page, the public list, filters, detail and GeoJSON."""

import io

import pytest
from PIL import Image

from portal.contributions.models import ContributionContact, Kind, Status
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.backoffice_helpers import token_from
from tests.contributions.factories import contributions, make_contribution, post_new


def test_resident_sends_a_report_and_gets_a_follow_link(now, client, quartiers):
    response = post_new(client)
    assert response.status_code == 302
    [row] = contributions()
    assert row.publication_status is PublicationStatus.PENDING
    assert row.kind is Kind.REPORT and row.category == "eclairage"
    assert (row.latitude, row.longitude) == (50.6992, 3.1692)  # from the picked street
    assert row.contact.phone == "+33612345678"
    assert [u.status for u in row.updates] == [Status.RECEIVED]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Merci" in page and "attend d’être lue" in page
    assert "/contributions/suivi/" in response.headers["Location"]


def test_a_pending_contribution_is_not_public(now, client, quartiers):
    post_new(client)
    [row] = contributions()
    assert client.get(f"/contributions/{row.id}").status_code == 404
    assert str(row.id) not in client.get("/contributions.geojson").get_data(as_text=True)


def test_double_tap_records_once(now, client, quartiers):
    first, second = post_new(client, key="a" * 32), post_new(client, key="a" * 32)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(contributions()) == 1


def test_an_idea_needs_no_category_and_a_tapped_point_is_kept(now, client, quartiers):
    response = post_new(client, kind="idea", category="", place="", latitude="50,6990",
                        longitude="3.1701", phone="", consent=None)
    assert response.status_code == 302
    [row] = contributions()
    assert row.kind is Kind.IDEA and row.category == "" and row.contact is None
    assert (row.latitude, row.longitude) == (50.699, 3.1701)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"text": ""}, "text", "Écrivez votre message."),
    ({"text": "court"}, "text", "Entre 10 et 2000 caractères."),
    ({"text": "x" * 2001}, "text", "Entre 10 et 2000 caractères."),
    ({"kind": ""}, "kind", "Choisissez : signaler un problème"),
    ({"kind": "attack"}, "kind", "pas un choix valide"),
    ({"category": ""}, "category", "Choisissez ce qui ne va pas."),
    ({"category": "<script>"}, "category", "pas un choix valide"),
    ({"quartier": "roubaix-nord"}, "quartier", "pas un choix valide"),
    ({"quartier": ""}, "quartier", "Choisissez le quartier."),
    ({"place": "pile-rue-pile"}, "place", "pas dans le quartier choisi"),
    ({"place": ""}, "place", "Choisissez une rue ou un lieu"),
    ({"place": "", "latitude": "48.85", "longitude": "2.35"}, "latitude", "loin de Roubaix"),
    ({"place": "", "latitude": "50.6835", "longitude": "3.1860"}, "latitude",
     "loin du quartier choisi"),
    ({"place": "", "latitude": "50.69"}, "latitude", "la latitude et la longitude"),
    ({"place": "", "latitude": "NaN", "longitude": "3.17"}, "latitude", "Tapez un nombre"),
    ({"phone": "03 20 00 00 00"}, "phone", "portable"),
    ({"phone": "", "email": "pas-une-adresse"}, "email", "pas valide"),
    ({"consent": None}, "consent", "Cochez cette case"),
])
def test_bad_input_is_shown_by_the_field_and_nothing_is_written(
        now, client, quartiers, nothing_written, changes, field, message):
    with nothing_written():
        response = post_new(client, **changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-erreur"' in page and message in page
    if "text" not in changes:
        assert "Le lampadaire devant le 40 est éteint." in page  # what was typed is kept


def test_xss_payloads_are_kept_escaped_in_the_form(now, client, quartiers):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    response = post_new(client, text=payload, phone="", consent=None, category="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_honeypot_writes_nothing(now, client, quartiers, nothing_written):
    with nothing_written():
        response = post_new(client, website="http://spam.example")
    assert response.status_code == 302


def test_csrf_is_refused(now, client, quartiers, nothing_written):
    from tests.contributions.factories import resident_form

    with nothing_written():
        response = client.post("/contributions/nouvelle", data=resident_form("faux"))
    assert response.status_code == 400


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (50, 40), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (50.0, 41.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_re_encoded_without_its_metadata(now, app, client, quartiers, tmp_path,
                                                    monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_DIR", tmp_path)
    token = token_from(client.get("/contributions/nouvelle").get_data(as_text=True))
    from tests.contributions.factories import resident_form

    data = resident_form(token)
    data["photo"] = (io.BytesIO(_jpeg_with_gps()), "photo.jpg")
    response = client.post("/contributions/nouvelle", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    [row] = contributions()
    stored = Image.open(tmp_path / row.photo)
    assert not stored.getexif() and "exif" not in stored.info


def test_a_file_that_is_not_an_image_is_refused_and_asked_again(now, client, quartiers,
                                                                 nothing_written):
    token = token_from(client.get("/contributions/nouvelle").get_data(as_text=True))
    from tests.contributions.factories import resident_form

    data = resident_form(token)
    data["photo"] = (io.BytesIO(b"%PDF-1.4 not an image"), "photo.jpg")
    with nothing_written():
        response = client.post("/contributions/nouvelle", data=data,
                               content_type="multipart/form-data")
    assert response.status_code == 422
    assert "pas une image" in response.get_data(as_text=True)


def test_list_filters_detail_and_geojson_show_published_only(now, client, quartiers):
    shown = make_contribution(quartiers["alma"], contact={"phone": "+33612345678",
                                                          "email": "a@exemple.fr"},
                              answer="Lampe changée.")
    idea = make_contribution(quartiers["pile"], kind=Kind.IDEA, category="",
                             place="pile-rue-pile", latitude=50.6831, longitude=3.1851)
    hidden = make_contribution(quartiers["alma"], publication_status=PublicationStatus.HIDDEN)
    page = client.get("/contributions/").get_data(as_text=True)
    assert f"n° {shown.id}" in page and f"n° {idea.id}" in page
    assert f"n° {hidden.id}</a>" not in page
    filtered = client.get("/contributions/?quartier=pile&type=idea").get_data(as_text=True)
    assert f"n° {idea.id}" in filtered and f"Signalement n° {shown.id}" not in filtered
    detail = client.get(f"/contributions/{shown.id}").get_data(as_text=True)
    assert "Lampe changée." in detail and "L’équipe du projet" in detail
    assert "+33612345678" not in detail and "a@exemple.fr" not in detail
    assert client.get(f"/contributions/{hidden.id}").status_code == 404
    data = client.get("/contributions.geojson").get_json()
    assert {f["id"] for f in data["features"]} == {shown.id, idea.id}
    text = str(data)
    assert "+336" not in text and "exemple.fr" not in text and "lampadaire" not in text


@pytest.mark.parametrize("query", [
    "quartier=%00", "type=x", "categorie=<b>", "etat=" + "9" * 500, "page=0", "page=abc",
    "page=999999999999", "quartier=alma&quartier=pile",
])
def test_hostile_filters_never_fail(now, client, quartiers, query):
    make_contribution(quartiers["alma"])
    for path in ("/contributions/", "/contributions.geojson", "/contributions/carte.js"):
        assert client.get(f"{path}?{query}").status_code in (200, 400, 404)


def test_a_tampered_follow_link_names_nothing(now, client, quartiers):
    post_new(client)
    assert client.get("/contributions/suivi/abc.def").status_code == 404


def test_home_and_quartier_pages_show_the_latest(now, client, quartiers):
    row = make_contribution(quartiers["alma"])
    assert f"n° {row.id}" in client.get("/").get_data(as_text=True)
    assert f"n° {row.id}" in client.get("/quartiers/alma").get_data(as_text=True)
    assert f"n° {row.id}" not in client.get("/quartiers/pile").get_data(as_text=True)


def test_retention_erases_contacts_long_after_closure(now, app, quartiers, frozen_clock):
    from datetime import timedelta

    from portal.contributions.editing import RETENTION_DAYS

    old = make_contribution(quartiers["alma"], status=Status.RESOLVED,
                            closed_at=now - timedelta(days=RETENTION_DAYS + 1),
                            contact={"phone": "+33612345678", "email": ""})
    recent = make_contribution(quartiers["alma"], status=Status.RESOLVED,
                               closed_at=now - timedelta(days=3),
                               contact={"phone": "+33612345679", "email": ""})
    result = app.test_cli_runner().invoke(args=["contributions", "erase-contacts"])
    assert "1 contact" in result.output
    db.session.expire_all()
    assert db.session.get(ContributionContact, old.id).phone == ""
    assert db.session.get(ContributionContact, recent.id).phone == "+33612345679"


# --- "Déjà signalé ? Soutenez-le" ---

def test_reports_of_the_same_category_nearby_are_shown_before_sending(now, client, quartiers,
                                                                      nothing_written):
    near = make_contribution(quartiers["alma"], latitude=50.6993, longitude=3.1694)
    make_contribution(quartiers["alma"], category="proprete")  # another category
    make_contribution(quartiers["alma"], latitude=50.7100, longitude=3.1694)  # 1 km north
    make_contribution(quartiers["alma"], status=Status.RESOLVED)  # closed
    make_contribution(quartiers["alma"], publication_status=PublicationStatus.PENDING)
    with nothing_written():
        response = post_new(client)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Déjà signalé ? Soutenez-le" in page
    import re

    shown = set(re.findall(r'action="/contributions/(\d+)/soutenir', page))
    assert shown == {str(near.id)}
    assert 'name="confirm" type="hidden" value="1"' in page and "Envoyer quand même" in page
    assert "Le lampadaire devant le 40 est éteint." in page  # what was typed is kept
    sent = post_new(client, confirm="1")
    assert sent.status_code == 302 and len(contributions()) == 6


def test_supporting_a_nearby_report_instead_records_no_new_one(now, client, quartiers):
    import re

    near = make_contribution(quartiers["alma"])
    page = post_new(client).get_data(as_text=True)
    key = re.search(r'name="soutien-key" type="hidden" value="([^"]+)"', page).group(1)
    token = token_from(page)
    response = client.post(f"/contributions/{near.id}/soutenir", data={
        "soutien-csrf_token": token, "soutien-key": key})
    assert response.status_code == 302
    assert f"/contributions/{near.id}" in response.headers["Location"]
    assert len(contributions()) == 1


def test_ideas_and_a_resend_of_a_recorded_form_skip_the_step(now, client, quartiers):
    make_contribution(quartiers["alma"])
    assert post_new(client, kind="idea", category="").status_code == 302
    assert post_new(client, confirm="1", key="r" * 32).status_code == 302
    assert post_new(client, key="r" * 32).status_code == 302  # the same form again: recorded
    assert len(contributions()) == 3


# --- Atom feeds ---

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_per_quartier_gives_published_ones_without_personal_data(now, client, quartiers):
    import xml.etree.ElementTree as ET

    shown = make_contribution(quartiers["alma"], answer="Lampe changée.",
                              contact={"phone": "+33612345678", "email": "a@exemple.fr"},
                              original_text="Appelez Samira au 06 12 34 56 78")
    make_contribution(quartiers["pile"], place="pile-rue-pile")
    make_contribution(quartiers["alma"], publication_status=PublicationStatus.PENDING,
                      text="En attente de modération")
    page = client.get("/contributions/?quartier=alma").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert 'href="/contributions/alma.atom"' in page
    response = client.get("/contributions/alma.atom")
    assert response.mimetype == "application/atom+xml"
    body = response.get_data(as_text=True)
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"http://localhost/contributions/{shown.id}"]
    assert "Lampe changée." in entries[0].find(f"{ATOM}content").text
    for private in ("+33612345678", "a@exemple.fr", "Samira", "En attente"):
        assert private not in body
    assert client.get("/contributions/nulle-part.atom").status_code == 404
    assert len(ET.fromstring(client.get("/contributions/flux.atom").data).findall(
        f"{ATOM}entry")) == 2


def test_feed_keeps_hostile_text_as_text(now, client, quartiers):
    import xml.etree.ElementTree as ET

    payload = '<script>alert(1)</script>]]><img src=x onerror=alert(1)> &amp; \x0b hx{{ 7*7 }}'
    make_contribution(quartiers["alma"], text=payload, answer=payload)
    response = client.get("/contributions/flux.atom")
    body = response.get_data(as_text=True)
    assert "<script>" not in body and "<img" not in body and "hx49" not in body
    entry = ET.fromstring(response.data).find(f"{ATOM}entry")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "text"
    assert "<script>alert(1)</script>" in content.text  # readers show it as text
