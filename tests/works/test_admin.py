"""Works sites in the back office: the site form (point typed or an area), each invalid field,
CSRF; timeline updates by neighbourhood teams of the site's quartier only."""

import json

import pytest

from portal.backoffice.models import AuditEntry
from portal.works.models import WorksKind, WorksSite, WorksStatus, WorksUpdate
from tests.backoffice_helpers import token_from
from tests.works.admin_factories import make_site, make_update

NEW = "/admin/chantiers/nouveau"
AREA = {"type": "Polygon", "coordinates": [[[3.166, 50.699], [3.168, 50.699], [3.168, 50.700],
                                            [3.166, 50.700], [3.166, 50.699]]]}


def site_form(client, where, **changes):
    data = {
        "csrf_token": token_from(client.get("/admin/").get_data(as_text=True)),
        "quartier": str(where.id), "title": "Réhabilitation de la résidence Fraternité",
        "title_ar": "ترميم إقامة الأخوة", "kind": "rehabilitation", "status": "a-venir",
        "summary": "Isolation, fenêtres et ascenseurs neufs pour 120 logements.",
        "latitude": "50.6929", "longitude": "3.1744", "owner": "Vilogia",
        "planned_start": "2027-03-01", "planned_end": "2028-06-30", "homes_concerned": "120",
        "contact_email": "fraternite@vilogia.example", "submit": "Enregistrer",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_project_team_adds_a_site_with_a_typed_point(project_client, db, quartiers, client):
    response = project_client.post(NEW, data=site_form(project_client, quartiers["epeule"]))
    assert response.status_code == 302
    site = db.session.scalar(db.select(WorksSite))
    assert site.slug == "rehabilitation-de-la-residence-fraternite"
    assert site.geometry == {"type": "Point", "coordinates": [3.1744, 50.6929]}
    assert (site.latitude, site.longitude) == (50.6929, 3.1744)
    assert site.kind is WorksKind.REHABILITATION and site.status is WorksStatus.PLANNED
    assert site.translations == {"ar": {"title": "ترميم إقامة الأخوة"}}
    entry = db.session.scalar(db.select(AuditEntry))
    assert entry.object_type == "works_site" and entry.quartier_id == quartiers["epeule"].id


def test_a_new_site_is_a_draft_until_published(project_client, db, quartiers, client):
    project_client.post(NEW, data=site_form(project_client, quartiers["epeule"]))
    site = db.session.scalar(db.select(WorksSite))
    page, admin = f"/chantiers/{site.slug}", f"/admin/chantiers/{site.id}"
    assert not site.is_published and client.get(page).status_code == 404
    assert site.title not in client.get("/chantiers/").get_data(as_text=True)
    assert site.slug not in client.get("/chantiers.geojson").get_data(as_text=True)
    assert site.slug not in client.get("/sitemap-1.xml").get_data(as_text=True)
    # The preview shows the page as it will be, its small map included.
    preview = project_client.get(f"{admin}/apercu")
    assert preview.status_code == 200 and "Aperçu" in preview.get_data(as_text=True)
    assert site.title in preview.get_data(as_text=True)
    assert project_client.get(f"{admin}/apercu/carte.js").status_code == 200
    token = token_from(project_client.get(admin).get_data(as_text=True))
    assert project_client.post(f"{admin}/publier", data={}).status_code == 400  # no CSRF token
    assert client.get(page).status_code == 404
    assert project_client.post(f"{admin}/publier", data={"csrf_token": token}).status_code == 302
    assert client.get(page).status_code == 200
    assert site.title in client.get("/chantiers/").get_data(as_text=True)
    project_client.post(f"{admin}/depublier", data={"csrf_token": token})
    assert client.get(page).status_code == 404
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["create", "publish", "unpublish"]


def test_an_area_instead_of_a_point(project_client, db, quartiers):
    data = site_form(project_client, quartiers["alma"], latitude="", longitude="",
                     area=json.dumps(AREA))
    assert project_client.post(NEW, data=data).status_code == 302
    site = db.session.scalar(db.select(WorksSite))
    assert site.geometry["type"] == "Polygon"
    assert site.latitude == pytest.approx(50.6995) and site.longitude == pytest.approx(3.167)


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"),
    ({"summary": ""}, "summary"),
    ({"owner": ""}, "owner"),
    ({"kind": "bombardement"}, "kind"),
    ({"status": "fini"}, "status"),
    ({"quartier": "9999"}, "quartier"),
    ({"latitude": "", "longitude": ""}, "latitude"),
    ({"latitude": "3.17", "longitude": "50.69"}, "latitude"),
    ({"area": '{"type": "Polygon", "coordinates": [[[3.16, 50.69]]]}'}, "area"),
    ({"area": "pas du json"}, "area"),
    ({"planned_end": "2026-01-01"}, "planned_end"),
    ({"homes_concerned": "-3"}, "homes_concerned"),
    ({"contact_email": "pas-une-adresse"}, "contact_email"),
    ({"contact_phone": "abc"}, "contact_phone"),
    ({"contact_phone": "03 20 66 46 00 / 06 12 34 56 78"}, "contact_phone"),
    ({"summary_en": "x" * 401}, "summary_en"),
])
def test_each_invalid_field_is_reported(project_client, db, quartiers, changes, field):
    response = project_client.post(NEW, data=site_form(project_client, quartiers["alma"],
                                                       **changes))
    assert response.status_code == 422
    assert f'id="{field}-erreur"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(WorksSite)) is None


def test_site_form_without_csrf(project_client, db, quartiers, nothing_written):
    data = site_form(project_client, quartiers["alma"], csrf_token=None)
    with nothing_written():
        assert project_client.post(NEW, data=data).status_code == 400


def test_edit_keeps_an_area_and_logs_changes(project_client, db, quartiers):
    site = make_site(quartiers["alma"], geometry=AREA, status=WorksStatus.PLANNED)
    url = f"/admin/chantiers/{site.id}"
    page = project_client.get(url).get_data(as_text=True)
    assert "Polygon" in page
    data = site_form(project_client, quartiers["alma"], title=site.title, status="en-cours",
                     kind="demolition", summary=site.summary, owner=site.owner,
                     area=json.dumps(AREA), planned_start="", planned_end="",
                     homes_concerned="", contact_email="", title_ar="")
    assert project_client.post(url, data=data).status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="update"))
    assert entry.changes["status"] == ["a-venir", "en-cours"]
    assert "geometry" not in entry.changes


def test_team_adds_an_update_to_its_quartier_site(team_client, db, quartiers, client):
    site = make_site(quartiers["alma"])
    url = f"/admin/chantiers/{site.id}/historique"
    page = team_client.get(url)
    assert page.status_code == 200
    response = team_client.post(url, data={
        "csrf_token": token_from(page.get_data(as_text=True)), "published_on": "2026-11-24",
        "text": "Les grues sont installées.", "text_en": "The cranes are up."})
    assert response.status_code == 302
    (update,) = db.session.scalars(db.select(WorksUpdate)).all()
    assert update.translations == {"en": {"text": "The cranes are up."}}
    assert "Les grues sont installées." in client.get(f"/chantiers/{site.slug}").get_data(
        as_text=True)
    entry = db.session.scalar(db.select(AuditEntry))
    assert entry.action == "add_update" and entry.actor_id == team_client.user.id


def test_update_form_errors(team_client, db, quartiers, nothing_written):
    site = make_site(quartiers["alma"])
    url = f"/admin/chantiers/{site.id}/historique"
    token = token_from(team_client.get(url).get_data(as_text=True))
    for data, field in (({"published_on": "", "text": "x"}, "published_on"),
                        ({"published_on": "2026-11-24", "text": ""}, "text")):
        response = team_client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 422
        assert f'id="{field}-erreur"' in response.get_data(as_text=True)
    with nothing_written():
        assert team_client.post(url, data={"published_on": "2026-11-24", "text": "x"}) \
            .status_code == 400


def test_team_cannot_touch_another_quartier_site(team_client, db, quartiers, nothing_written):
    other = make_site(quartiers["pile"])
    old = make_update(other)
    token = token_from(team_client.get("/admin/").get_data(as_text=True))
    assert team_client.get(f"/admin/chantiers/{other.id}/historique").status_code == 403
    with nothing_written():
        response = team_client.post(f"/admin/chantiers/{other.id}/historique", data={
            "csrf_token": token, "published_on": "2026-11-24", "text": "Intrusion"})
        assert response.status_code == 403
        response = team_client.post(f"/admin/chantiers/etapes/{old.id}/supprimer",
                                    data={"csrf_token": token})
        assert response.status_code == 403
    assert db.session.scalar(db.select(WorksUpdate).filter_by(text="Intrusion")) is None
    assert db.session.get(WorksUpdate, old.id) is not None
    assert team_client.get(f"/admin/chantiers/{other.id}").status_code == 403


def test_team_lists_only_its_sites(team_client, db, quartiers):
    make_site(quartiers["alma"], title="Démolition tour Alma")
    make_site(quartiers["pile"], title="Square Condé")
    html = team_client.get("/admin/chantiers/").get_data(as_text=True)
    assert "Démolition tour Alma" in html and "Square Condé" not in html


def test_delete_site_and_update(project_client, db, quartiers):
    site = make_site(quartiers["alma"])
    update = make_update(site)
    site_id, update_id, text = site.id, update.id, update.text  # both are deleted below
    page = project_client.get(f"/admin/chantiers/{site_id}/historique").get_data(as_text=True)
    step = f"/admin/chantiers/etapes/{update_id}/supprimer"
    assert f'href="{step}"' in page  # a link to a confirmation page, not a button that deletes
    confirm = project_client.get(step)
    assert confirm.status_code == 200 and text in confirm.get_data(as_text=True)
    assert db.session.get(WorksUpdate, update_id) is not None
    project_client.post(step, data={"csrf_token": token_from(confirm.get_data(as_text=True))})
    assert db.session.get(WorksUpdate, update_id) is None
    url = f"/admin/chantiers/{site_id}/supprimer"
    project_client.post(url, data={"csrf_token": token_from(project_client.get(url).get_data(
        as_text=True))})
    assert db.session.get(WorksSite, site_id) is None
