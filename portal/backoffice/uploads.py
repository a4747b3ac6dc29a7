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
from PIL import Image, UnidentifiedImageError

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
        "too_many_pixels": _l(
            "L’image est trop grande : %(max)d millions de pixels au plus (une photo de "
            "téléphone en a de 12 à 24). Réduisez-la avant de l’envoyer.",
            max=current_app.config["UPLOAD_MAX_PIXELS"] // 1_000_000),
    }


def too_big_message():
    from flask_babel import lazy_gettext as _l

    return _l("Le fichier est trop lourd (%(max)d Mo au plus).", max=max_megabytes())


def read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_messages()["too_big"])
    return data


# Pixel modes Pillow gives the accepted formats; anything else is refused unread. Pillow
# keeps at most 4 bytes a pixel for these (16-bit RGB(A) is read as 8-bit), so the decoded
# image weighs at most 4 x UPLOAD_MAX_PIXELS bytes.
ACCEPTED_MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "I", "I;16", "I;16B",
                  "I;16L"}
SIXTEEN_BIT_GREY = {"I", "I;16", "I;16B", "I;16L"}
# What EXIF orientation asks (ImageOps.exif_transpose's table), applied once the image is
# small: EXIF is not carried over to the reduced copy.
ORIENTATIONS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                8: Image.Transpose.ROTATE_90}


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    """The image, its header read but no pixel decoded, once its format, mode and size pass:
    a 309 KB PNG can hold 40 million 16-bit pixels."""
    image = Image.open(BytesIO(data))
    if image.format not in ACCEPTED_FORMATS or image.mode not in ACCEPTED_MODES:
        image.close()
        raise UploadError(_messages()["not_image"])
    if image.width * image.height > max_pixels:
        image.close()
        raise UploadError(_messages()["too_many_pixels"])
    return image


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size thumbnail((side, side)) gives: the same for an image turned a quarter."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resizable(image: Image.Image) -> Image.Image:
    """The image in a mode Pillow resamples smoothly (L, LA, RGB, RGBA, CMYK are already):
    palettes become RGB(A), 16-bit grey becomes 8-bit grey, scaled (convert("L") would
    clip everything above 255 to white)."""
    if image.mode in SIXTEEN_BIT_GREY:
        return image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("P", "PA"):
        transparent = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if transparent else "RGB")
    return image


def _decode_small(image: Image.Image, side: int) -> Image.Image:
    """The first frame, decoded at (about) the size it will be shown, with the peak near one
    decoded copy: JPEG decodes at 1/2, 1/4 or 1/8 scale (draft); the others are reduced by a
    whole factor (thumbnail's reducing_gap) before anything else copies them."""
    image.seek(0)  # first frame of an animated GIF
    target = _fitted(image.size, side)
    if image.format == "JPEG":
        # The decoder's scaled IDCT averages like a box filter: decoding at no less than the
        # target, then LANCZOS, keeps the quality; a 24 MP photo decodes at 1/2 scale.
        image.draft(None, target)
    image.load()
    orientation = image.getexif().get(0x0112, 1)  # Orientation
    small = _resizable(image)
    small.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    method = ORIENTATIONS.get(orientation)
    return small.transpose(method) if method is not None else small  # upright once EXIF goes


def clean_image(data: bytes) -> tuple[bytes, str]:
    """(encoded bytes, extension) of a metadata-free copy of the image in `data`."""
    max_pixels = current_app.config["UPLOAD_MAX_PIXELS"]
    side = current_app.config["UPLOAD_MAX_SIDE"]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open_checked(data, max_pixels) as probe:
                probe.verify()  # structure check before decoding the pixels
            with _open_checked(data, max_pixels) as opened:
                image = _decode_small(opened, side)
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
