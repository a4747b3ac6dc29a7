"""Images sent through the back office: checked by content, re-encoded, stored under a random name.

Nothing of the sent file is kept as is: Pillow decodes it (which proves it is an image of an
allowed kind), the pixels are copied into a new image (so EXIF, GPS position, comments and
ICC profiles stay behind), scaled down, and written as JPEG (or WebP when transparent).
"""

import re
import secrets
import warnings
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# What store_image() names a file: folder/random.ext (token_urlsafe(16) gives 22 characters).
STORED_NAME = re.compile(r"[a-z]+/[A-Za-z0-9_-]{22}\.(?:jpg|webp)")


class UploadError(ValueError):
    """The file is refused; the message is for the person who sent it (a lazy string)."""


def max_megabytes() -> int:
    """The upload limit as editors read it (forms, hints, the 413 page)."""
    return current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)


def _messages():
    from flask_babel import lazy_gettext as _l

    return {
        "too_big": too_big_message(),
        "not_image": _l("Ce fichier n’est pas une image JPEG, PNG, WebP ou GIF."),
        "too_many_pixels": _l("L’image est trop grande (en pixels)."),
    }


def too_big_message():
    from flask_babel import lazy_gettext as _l

    return _l("Le fichier est trop lourd (%(max)d Mo au plus).", max=max_megabytes())


def read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_messages()["too_big"])
    return data


def clean_image(data: bytes) -> tuple[bytes, str]:
    """(encoded bytes, extension) of a metadata-free copy of the image in `data`."""
    max_pixels = current_app.config["UPLOAD_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise UploadError(_messages()["not_image"])
                if probe.width * probe.height > max_pixels:
                    raise UploadError(_messages()["too_many_pixels"])
                probe.verify()  # structure check before decoding the pixels
            with Image.open(BytesIO(data)) as image:
                image.seek(0)  # first frame of an animated GIF
                image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF goes
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(_messages()["too_many_pixels"]) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, UploadError):
            raise
        raise UploadError(_messages()["not_image"]) from None
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if transparent else "RGB"
    pixels = image.convert(mode)
    # A new image from the bare pixels: no info dict, no EXIF, no XMP, no ICC profile.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    side = current_app.config["UPLOAD_MAX_SIDE"]
    clean.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = BytesIO()
    if transparent:
        clean.save(out, "WEBP", quality=85, method=4)
        return out.getvalue(), "webp"
    clean.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue(), "jpg"


def prepare_image(storage) -> tuple[bytes, str]:
    """Read an uploaded file (FileStorage) within the size limit and clean it; raises
    UploadError with a message for the form field."""
    data = read_limited(storage.stream, current_app.config["UPLOAD_MAX_BYTES"])
    return clean_image(data)


def store_image(prepared: tuple[bytes, str], folder: str) -> str:
    """Write a prepared image under a random name; return its path under MEDIA_DIR."""
    encoded, extension = prepared
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    target = Path(current_app.config["MEDIA_DIR"]) / folder
    target.mkdir(parents=True, exist_ok=True)
    (target / name).write_bytes(encoded)
    return f"{folder}/{name}"


def is_stored_name(relative: str) -> bool:
    """A name store_image() gave: never reused for other bytes (a replaced image gets a new
    name, a removed one is deleted), so the file may be cached for good."""
    return STORED_NAME.fullmatch(relative) is not None


def delete_image(relative: str | None) -> None:
    """Remove a file this module stored (content/ images are never touched)."""
    if not relative:
        return
    media = Path(current_app.config["MEDIA_DIR"]).resolve()
    path = (media / relative).resolve()
    if path.is_relative_to(media) and path.is_file():
        path.unlink()
