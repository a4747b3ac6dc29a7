"""QR codes drawn on the server as SVG files (no script, no CDN): the Maison Mobile's poster
and the paper questionnaires of concertations point a phone to their page. Served as an
<img> source, so no markup of the code ever enters a page (CSP stays strict)."""

import io

import qrcode
import qrcode.image.svg
from flask import Response, current_app

MAX_AGE = 86400  # the link a code holds changes with the page's slug only


def svg(url: str) -> bytes:
    """The QR code of `url` as an SVG document (one path: small, sharp when printed)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def svg_response(url: str) -> Response:
    response = current_app.response_class(svg(url), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
