"""News in the back office: the form (valid, each invalid field, CSRF), preview, publish,
delete with confirmation, image uploads, and the audit log they write."""

import io

import pytest
from PIL import Image

from portal.backoffice.models import AuditEntry
from portal.news.models import NewsArticle
from portal.publication import PublicationStatus
from portal.transaction import unit_of_work
from tests.backoffice_helpers import token_from
from tests.factories import make_news

NEW = "/admin/actualites/nouvelle"


def jpeg_bytes(size=(800, 600), exif=None, color=(200, 30, 60)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 41.0, 30.0)
    gps[3] = "E"
    gps[4] = (3.0, 10.0, 15.0)
    return exif.tobytes()


def valid_form(client, **changes):
    data = {
        "csrf_token": token_from(client.get("/admin/").get_data(as_text=True)),
        "title": "Réunion publique sur la place de l’Alma",
        "summary": "Venez découvrir les plans de la nouvelle place.",
        "easy_read": "Une réunion. Mardi. À la salle Watremez.",
        "body": "## Programme\n\n- plans\n- questions",
        "title_en": "Public meeting on Alma square",
        "title_ar": "اجتماع عام",
        "submit": "Enregistrer",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_project_team_creates_a_draft_with_translations(backoffice, project_client, db,
                                                        quartiers):
    data = valid_form(project_client, quartiers=[str(quartiers["alma"].id)])
    response = project_client.post(NEW, data=data)
    assert response.status_code == 302
    article = db.session.scalar(db.select(NewsArticle))
    assert article.publication_status is PublicationStatus.DRAFT
    assert article.slug == "reunion-publique-sur-la-place-de-l-alma"
    assert article.translations == {"en": {"title": "Public meeting on Alma square"},
                                    "ar": {"title": "اجتماع عام"}}
    assert [q.slug for q in article.quartiers] == ["alma"]
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.object_type, entry.object_id) == ("create", "news", str(article.id))
    assert entry.actor_id == project_client.user.id
    assert entry.changes["title"] == [None, "Réunion publique sur la place de l’Alma"]
    assert entry.quartier_id == quartiers["alma"].id


def test_each_missing_required_field_is_reported_next_to_it(backoffice, admin_client):
    for name in ("title", "summary"):
        data = valid_form(admin_client, **{name: ""})
        response = admin_client.post(NEW, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f'id="{name}-erreur"' in html
        # What was typed stays in the form.
        other = "summary" if name == "title" else "title"
        assert data[other].replace("’", "&#39;")[:20] in html.replace("’", "&#39;")


def test_too_long_fields_are_refused(backoffice, admin_client):
    for name, limit in (("title", 200), ("summary", 300), ("title_en", 200)):
        response = admin_client.post(NEW, data=valid_form(admin_client, **{name: "x" * (limit + 1)}))
        assert response.status_code == 422
        assert f'id="{name}-erreur"' in response.get_data(as_text=True)


def test_unknown_quartier_is_refused(backoffice, admin_client, db, nothing_written):
    data = valid_form(admin_client, quartiers=["9999"])
    with nothing_written():
        response = admin_client.post(NEW, data=data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_form_without_csrf_token_is_refused(backoffice, admin_client, db, nothing_written):
    data = valid_form(admin_client, csrf_token=None)
    with nothing_written():
        response = admin_client.post(NEW, data=data)
    assert response.status_code == 400
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_preview_button_shows_sanitized_body_without_saving(backoffice, admin_client, db):
    body = "**Important** <script>alert(1)</script> <img src=x onerror=alert(1)>"
    response = admin_client.post(NEW, data=valid_form(admin_client, body=body, submit=None,
                                                      preview="Aperçu"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>Important</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html.split("</textarea>")[-1]
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_live_preview_endpoint_renders_through_sanitize(backoffice, admin_client):
    token = token_from(admin_client.get(NEW).get_data(as_text=True))
    response = admin_client.post("/admin/apercu", data={
        "text": "# Titre\n\n[lien](javascript:alert(1)) <iframe src=x></iframe>",
        "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Titre</h2>" in html
    assert "javascript:" not in html and "<iframe" not in html
    assert admin_client.post("/admin/apercu", data={"text": "x"}).status_code == 400


def test_publish_unpublish_and_public_page(backoffice, admin_client, db, client):
    article = make_news(publication_status=PublicationStatus.DRAFT, published_at=None, title="Brouillon")
    assert client.get(f"/actualites/{article.slug}").status_code == 404
    page = admin_client.get(f"/admin/actualites/{article.id}")
    token = token_from(page.get_data(as_text=True))
    assert admin_client.post(f"/admin/actualites/{article.id}/publier").status_code == 400
    response = admin_client.post(f"/admin/actualites/{article.id}/publier",
                                 data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.publication_status is PublicationStatus.PUBLISHED and article.published_at is not None
    assert client.get(f"/actualites/{article.slug}").status_code == 200
    admin_client.post(f"/admin/actualites/{article.id}/depublier", data={"csrf_token": token})
    db.session.refresh(article)
    assert article.publication_status is PublicationStatus.DRAFT
    assert client.get(f"/actualites/{article.slug}").status_code == 404
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["publish", "unpublish"]


def test_draft_preview_page_shows_the_public_layout(backoffice, admin_client):
    article = make_news(publication_status=PublicationStatus.DRAFT, published_at=None, title="Pas encore publié")
    response = admin_client.get(f"/admin/actualites/{article.id}/apercu")
    assert response.status_code == 200
    assert "Pas encore publié" in response.get_data(as_text=True)


def test_delete_asks_for_confirmation_then_logs(backoffice, admin_client, db):
    article = make_news(title="À supprimer")
    url = f"/admin/actualites/{article.id}/supprimer"
    page = admin_client.get(url)
    assert page.status_code == 200 and "À supprimer" in page.get_data(as_text=True)
    assert admin_client.post(url).status_code == 400  # no CSRF token: nothing deleted
    assert db.session.get(NewsArticle, article.id) is not None
    response = admin_client.post(url, data={"csrf_token": token_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert db.session.get(NewsArticle, article.id) is None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="delete"))
    assert entry.changes["title"] == ["À supprimer", None]


def test_edit_logs_before_and_after_of_changed_fields_only(backoffice, admin_client, db):
    article = make_news(title="Ancien titre", summary="Résumé")
    url = f"/admin/actualites/{article.id}"
    token = token_from(admin_client.get(url).get_data(as_text=True))
    response = admin_client.post(url, data={"csrf_token": token, "title": "Nouveau titre",
                                            "summary": "Résumé", "body": article.body,
                                            "submit": "Enregistrer"})
    assert response.status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="update"))
    assert entry.changes == {"title": ["Ancien titre", "Nouveau titre"]}


def test_image_upload_is_reencoded_without_gps(backoffice, admin_client, db, app):
    data = valid_form(admin_client, image_alt="La place de l’Alma vue du ciel")
    data["image"] = (io.BytesIO(jpeg_bytes(size=(3000, 2000), exif=gps_exif())), "IMG_2041.JPG")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    article = db.session.scalar(db.select(NewsArticle))
    assert article.image_path.startswith("news/") and "IMG_2041" not in article.image_path
    stored = app.config["MEDIA_DIR"] / article.image_path
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 1600
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"PhoneMaker" not in stored.read_bytes()
    served = admin_client.get(f"/media/{article.image_path}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


def test_image_requires_alt_text(backoffice, admin_client, db):
    data = valid_form(admin_client, image_alt="")
    data["image"] = (io.BytesIO(jpeg_bytes()), "photo.jpg")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="image_alt-erreur"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_not_an_image_is_refused(backoffice, admin_client, db, app):
    data = valid_form(admin_client, image_alt="Un texte")
    data["image"] = (io.BytesIO(b"<?php system($_GET['c']); ?>"), "photo.jpg")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "n’est pas une image" in response.get_data(as_text=True)
    svg = valid_form(admin_client, image_alt="Un texte")
    svg["image"] = (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
                    "dessin.svg")
    assert admin_client.post(NEW, data=svg, content_type="multipart/form-data").status_code == 422


def test_oversized_upload_is_refused(backoffice, admin_client, db, app):
    app.config["UPLOAD_MAX_BYTES"] = 20_000
    try:
        data = valid_form(admin_client, image_alt="Bruit")
        noise = Image.effect_noise((400, 400), 100).convert("RGB")
        buffer = io.BytesIO()
        noise.save(buffer, "PNG")
        assert len(buffer.getvalue()) > 20_000
        data["image"] = (io.BytesIO(buffer.getvalue()), "bruit.png")
        response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 8 * 1024 * 1024
    assert response.status_code == 422
    assert "trop lourd" in response.get_data(as_text=True)


def test_request_over_the_global_limit_gets_413(backoffice, admin_client, app):
    data = valid_form(admin_client, image_alt="x")
    data["image"] = (io.BytesIO(b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)), "gros.jpg")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 413


def test_decompression_bomb_is_refused(backoffice, admin_client, app):
    configured, app.config["UPLOAD_MAX_PIXELS"] = app.config["UPLOAD_MAX_PIXELS"], 1000
    try:
        data = valid_form(admin_client, image_alt="Grande image")
        data["image"] = (io.BytesIO(jpeg_bytes(size=(100, 100))), "grand.jpg")
        response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    finally:
        app.config["UPLOAD_MAX_PIXELS"] = configured
    assert response.status_code == 422
    assert "trop grande" in response.get_data(as_text=True)


def test_transparent_png_becomes_webp(backoffice, admin_client, db, app):
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, "PNG")
    data = valid_form(admin_client, image_alt="Logo du projet")
    data["image"] = (io.BytesIO(buffer.getvalue()), "logo.png")
    assert admin_client.post(NEW, data=data, content_type="multipart/form-data").status_code == 302
    article = db.session.scalar(db.select(NewsArticle))
    assert article.image_path.endswith(".webp")
    assert admin_client.get(f"/media/{article.image_path}").mimetype == "image/webp"


def test_replacing_and_removing_the_image_deletes_the_old_file(backoffice, admin_client, db, app):
    data = valid_form(admin_client, image_alt="Première")
    data["image"] = (io.BytesIO(jpeg_bytes()), "a.jpg")
    admin_client.post(NEW, data=data, content_type="multipart/form-data")
    article = db.session.scalar(db.select(NewsArticle))
    first = app.config["MEDIA_DIR"] / article.image_path
    url = f"/admin/actualites/{article.id}"
    token = token_from(admin_client.get(url).get_data(as_text=True))
    admin_client.post(url, data={"csrf_token": token, "title": article.title,
                                 "summary": article.summary, "image_alt": "Première",
                                 "remove_image": "y", "submit": "Enregistrer"})
    db.session.refresh(article)
    assert article.image_path is None and article.image_alt == ""
    assert not first.exists()


def test_team_cannot_write_news(backoffice, team_client, db, nothing_written):
    assert team_client.get(NEW).status_code == 403
    data = valid_form(team_client)
    with nothing_written():
        response = team_client.post(NEW, data=data)
    assert response.status_code == 403
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_news_list_filters_by_status_and_ignores_unknown(backoffice, admin_client):
    make_news(title="Publiée un")
    make_news(title="Brouillon un", publication_status=PublicationStatus.DRAFT, published_at=None)
    drafts = admin_client.get("/admin/actualites/?statut=draft").get_data(as_text=True)
    assert "Brouillon un" in drafts and "Publiée un" not in drafts
    every = admin_client.get("/admin/actualites/?statut=nimportequoi")
    assert every.status_code == 200
    assert "Brouillon un" in every.get_data(as_text=True)


def test_an_image_sent_with_an_error_elsewhere_is_asked_for_again(backoffice, admin_client, db):
    data = valid_form(admin_client, title="", image_alt="La place vue du ciel")
    data["image"] = (io.BytesIO(jpeg_bytes()), "photo.jpg")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="title-erreur"' in html
    image_error = html.split('id="image-erreur">', 1)[1].split("</p>", 1)[0]
    assert "choisissez-la de nouveau" in image_error
    assert 'value="La place vue du ciel"' in html  # the alt text typed is kept


def test_a_removed_image_is_gone_from_its_url_and_uploads_are_cached_for_good(
        backoffice, admin_client, db, app):
    data = valid_form(admin_client, image_alt="Première")
    data["image"] = (io.BytesIO(jpeg_bytes()), "a.jpg")
    admin_client.post(NEW, data=data, content_type="multipart/form-data")
    article = db.session.scalar(db.select(NewsArticle))
    media = f"/media/{article.image_path}"
    served = admin_client.get(media)
    assert served.cache_control.max_age == 365 * 24 * 3600
    url = f"/admin/actualites/{article.id}"
    replaced = valid_form(admin_client, title=article.title, image_alt="Seconde")
    replaced["image"] = (io.BytesIO(jpeg_bytes(color=(0, 0, 200))), "b.jpg")
    admin_client.post(url, data=replaced, content_type="multipart/form-data")
    db.session.refresh(article)
    assert f"/media/{article.image_path}" != media  # a new name: caches cannot mix them up
    assert admin_client.get(media).status_code == 404


def test_a_content_image_may_change_under_its_name_so_is_cached_briefly(
        backoffice, client, app, tmp_path, monkeypatch):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "place-alma.jpg").write_bytes(jpeg_bytes())
    monkeypatch.setitem(app.config, "CONTENT_DIR", tmp_path)
    assert client.get("/media/place-alma.jpg").cache_control.max_age == 3600


def test_the_old_image_is_kept_when_the_commit_fails(backoffice, admin_client, db, app,
                                                     monkeypatch):
    data = valid_form(admin_client, image_alt="Première")
    data["image"] = (io.BytesIO(jpeg_bytes()), "a.jpg")
    admin_client.post(NEW, data=data, content_type="multipart/form-data")
    article = db.session.scalar(db.select(NewsArticle))
    first = app.config["MEDIA_DIR"] / article.image_path
    from portal.news import editing

    def fail():
        raise RuntimeError("database gone")

    monkeypatch.setattr(editing.db.session, "commit", fail)
    with pytest.raises(RuntimeError), unit_of_work():
        editing.update_news(None, article, {"title": "T", "summary": "S", "image_alt": "x"},
                            remove_image=True)
    assert first.exists()


def test_a_new_image_is_removed_when_the_commit_fails(backoffice, admin_client, db, app,
                                                      monkeypatch):
    data = valid_form(admin_client, image_alt="Première")
    data["image"] = (io.BytesIO(jpeg_bytes()), "a.jpg")
    admin_client.post(NEW, data=data, content_type="multipart/form-data")
    article = db.session.scalar(db.select(NewsArticle))
    first = app.config["MEDIA_DIR"] / article.image_path
    from portal.news import editing

    def fail():
        raise RuntimeError("database gone")

    before = set(app.config["MEDIA_DIR"].rglob("*"))
    monkeypatch.setattr(editing.db.session, "commit", fail)
    with pytest.raises(RuntimeError), unit_of_work():
        editing.update_news(None, article, {"title": "T", "summary": "S", "image_alt": "x"},
                            image=(jpeg_bytes(color=(0, 0, 200)), "jpg"))
    assert first.exists()  # the article still points at it
    assert set(app.config["MEDIA_DIR"].rglob("*")) == before  # the new one went
