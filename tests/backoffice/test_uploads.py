"""Upload limits as an editor meets them: the limit shown next to the field and given to
static/js/file-size.js, the form's own message (typed text kept), and the 413 page in the
visitor's language when a request is over MAX_CONTENT_LENGTH."""

import io

import pytest
from PIL import Image

from tests.news.test_admin import NEW, valid_form


@pytest.fixture
def small_upload_limit(app):
    app.config["UPLOAD_MAX_BYTES"] = 20_000
    yield 20_000
    app.config["UPLOAD_MAX_BYTES"] = 8 * 1024 * 1024


def noise_png() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 100).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def oversized_request(client, path=NEW):
    data = valid_form(client, image_alt="x")
    too_much = client.application.config["MAX_CONTENT_LENGTH"] + 10
    data["image"] = (io.BytesIO(b"0" * too_much), "gros.jpg")
    return client.post(path, data=data, content_type="multipart/form-data")


def test_image_input_carries_the_limit_for_the_script(backoffice, admin_client):
    html = admin_client.get(NEW).get_data(as_text=True)
    assert f'data-max-bytes="{8 * 1024 * 1024}"' in html
    assert 'data-too-big="Le fichier est trop lourd (8 Mo au plus)."' in html
    assert "JPEG, PNG ou WebP de 8 Mo au plus" in html
    assert "js/file-size.js" in html


def test_size_script_is_served_and_has_no_inline_code(backoffice, admin_client):
    response = admin_client.get("/static/js/file-size.js")
    assert response.status_code == 200
    assert "data-max-bytes" in response.get_data(as_text=True)
    assert "<script>" not in admin_client.get(NEW).get_data(as_text=True)


def test_too_heavy_file_keeps_what_the_editor_typed(backoffice, admin_client,
                                                    small_upload_limit):
    data = valid_form(admin_client, image_alt="Bruit")
    data["image"] = (io.BytesIO(noise_png()), "bruit.png")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="image-erreur"' in html and "trop lourd" in html
    for typed in ("Réunion publique sur la place de l’Alma", "Une réunion. Mardi.",
                  "## Programme", "Public meeting on Alma square", "اجتماع عام", "Bruit"):
        assert typed in html


def test_request_over_the_limit_gets_a_page_that_says_so(backoffice, admin_client):
    response = oversized_request(admin_client)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<h1>Fichier trop lourd</h1>" in html
    assert "8 Mo au plus" in html
    assert "bouton « Retour »" in html
    assert "image plus légère" in html


@pytest.mark.parametrize("lang, title, direction", [
    ("en", "File too large", "ltr"),
    ("ar", "الملف كبير جدًا", "rtl"),
])
def test_too_large_page_speaks_the_visitors_language(backoffice, admin_client, lang, title,
                                                     direction):
    response = oversized_request(admin_client, f"{NEW}?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert f"<h1>{title}</h1>" in html
    assert f'dir="{direction}"' in html
    assert "Fichier trop lourd" not in html
