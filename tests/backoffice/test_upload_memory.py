"""Uploads with a bounded cost (issue 11, finding 9): a 309 KB PNG of 6,300 x 6,300 16-bit
RGBA pixels took 616 MiB and seconds to re-encode. Images over a phone photo's pixels are
refused from their header; those accepted are decoded at about the size they are shown."""

import io
import json
import subprocess
import sys
import textwrap
import time

import pytest
from PIL import Image

from portal.backoffice.uploads import UploadError, clean_image
from portal.news.models import NewsArticle
from tests.news.test_admin import NEW, valid_form
from tests.pngs import png

HOSTILE = png(6300, 6300)  # 16-bit RGBA, zeros: about 309 KB


def photo_jpeg(size=(4000, 3000), exif=None) -> bytes:
    """A smooth 'photo' (cheap to make, unlike noise) of a phone's size."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **({"exif": exif} if exif else {}))
    return out.getvalue()


def test_hostile_png_is_refused_from_its_header_at_once(app):
    assert len(HOSTILE) < 400_000
    with app.test_request_context("/"):
        started = time.perf_counter()
        with pytest.raises(UploadError, match="25 millions de pixels au plus"):
            clean_image(HOSTILE)
        assert time.perf_counter() - started < 0.5  # nothing decoded


def test_hostile_png_sent_with_an_article_is_refused_by_the_field(backoffice, admin_client, db):
    data = valid_form(admin_client, image_alt="Très grande image")
    data["image"] = (io.BytesIO(HOSTILE), "grande.png")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="image-erreur"' in html and "Réduisez-la avant de l’envoyer" in html
    assert db.session.scalar(db.select(NewsArticle)) is None


def test_phone_photo_is_accepted_and_scaled_down(backoffice, admin_client, db, app):
    data = valid_form(admin_client, image_alt="La place de l’Alma")
    data["image"] = (io.BytesIO(photo_jpeg((4000, 3000))), "IMG_0001.JPG")
    response = admin_client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    article = db.session.scalar(db.select(NewsArticle))
    with Image.open(app.config["MEDIA_DIR"] / article.image_path) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)


def test_photo_taken_sideways_is_stored_upright_without_its_exif(app):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    with app.test_request_context("/"):
        encoded, extension = clean_image(photo_jpeg((4000, 3000), exif=exif.tobytes()))
    assert extension == "jpg" and b"PhoneMaker" not in encoded
    with Image.open(io.BytesIO(encoded)) as image:
        assert image.size == (1200, 1600) and dict(image.getexif()) == {}


def test_sixteen_bit_grey_keeps_its_greys():
    """convert("L") clips 16-bit grey: mid-grey (32768) would come out white."""
    from portal.backoffice.uploads import _resizable

    row = b"".join(value.to_bytes(2, "big") for value in (0, 32768, 65535, 16384))
    with Image.open(io.BytesIO(png(4, 2, color_type=0, row=row))) as image:
        image.load()
        grey = _resizable(image)
    assert grey.mode == "L" and [grey.getpixel((x, 0)) for x in range(4)] == [0, 127, 255, 63]


MEASURE = textwrap.dedent("""
    import json, resource, sys
    from portal import create_app
    from portal.backoffice.uploads import clean_image

    app = create_app({"TESTING": True, "UPLOAD_MAX_PIXELS": 40_000_000})
    files = {name: open(name, "rb").read() for name in sys.argv[1:]}
    peaks = {}
    with app.test_request_context("/"):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for name, data in files.items():  # smallest expected peak first: maxrss only grows
            clean_image(data)
            peaks[name] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    json.dump(peaks, sys.stdout)
""")


def test_peak_memory_of_accepted_images_stays_near_one_decoded_copy(tmp_path):
    """In a subprocess (Pillow's memory is not seen by tracemalloc): a 12 MP JPEG decodes at
    half scale; a 12 MP 16-bit RGBA PNG costs its decoded copy and the premultiplied one that
    resampling needs, not four copies (before: 130 MiB and 180 MiB)."""
    jpeg, rgba = tmp_path / "photo.jpg", tmp_path / "rgba16.png"
    jpeg.write_bytes(photo_jpeg((4000, 3000)))
    rgba.write_bytes(png(4000, 3000))
    result = subprocess.run([sys.executable, "-c", MEASURE, str(jpeg), str(rgba)],
                            capture_output=True, text=True, timeout=120, check=True)
    peaks = json.loads(result.stdout)  # MiB above what the app had used before the first
    assert peaks[str(jpeg)] < 40, peaks
    assert peaks[str(rgba)] < 120, peaks  # 12 MP x 8 bytes = 92 MiB
