"""Public routes of the core: home, quartier pages, legal pages and files for machines."""

from pathlib import Path

from flask import abort, current_app, make_response, render_template, send_from_directory, url_for

from .. import registry
from ..backoffice.uploads import is_stored_name
from ..quartiers import all_quartiers, quartier_or_404
from . import bp
from . import sitemap as sitemap_parts

LEGAL_PAGES = {
    "accessibilite": "core/accessibilite.html",
    "donnees-personnelles": "core/donnees_personnelles.html",
    "mentions-legales": "core/mentions_legales.html",
}
MEDIA_MAX_AGE = 365 * 24 * 3600


@bp.route("/")
def home():
    sections = registry.of().home_sections()
    return render_template("core/home.html", quartiers=all_quartiers(), sections=sections,
                           **registry.section_helpers(sections))


@bp.route("/quartiers/<slug>")
def quartier(slug: str):
    quartier = quartier_or_404(slug)
    sections = registry.of().quartier_sections(quartier)
    return render_template("core/quartier.html", quartier=quartier, sections=sections,
                           **registry.section_helpers(sections))


@bp.route("/accessibilite", endpoint="accessibilite", defaults={"page": "accessibilite"})
@bp.route("/donnees-personnelles", endpoint="donnees_personnelles",
          defaults={"page": "donnees-personnelles"})
@bp.route("/mentions-legales", endpoint="mentions_legales", defaults={"page": "mentions-legales"})
def legal_page(page: str):
    return render_template(LEGAL_PAGES[page])


@bp.route("/plan-du-site")
def site_plan():
    return render_template(
        "core/plan_du_site.html", quartiers=all_quartiers(), entries=registry.of().nav_entries()
    )


@bp.route("/sitemap.xml")
def sitemap():
    """A sitemap index: its parts list the pages (core/sitemap.py)."""
    parts = [url_for("core.sitemap_part", number=n, _external=True)
             for n in range(1, sitemap_parts.part_count() + 1)]
    response = make_response(render_template("core/sitemap_index.xml", parts=parts))
    response.mimetype = "application/xml"
    return response


@bp.route("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    urls = sitemap_parts.part_urls(number)
    if urls is None:
        abort(404)
    response = make_response(render_template("core/sitemap.xml", urls=urls))
    response.mimetype = "application/xml"
    return response


@bp.route("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /admin/\nSitemap: {url_for('core.sitemap', _external=True)}\n"
    return current_app.response_class(body, mimetype="text/plain")


@bp.route("/healthz")
def healthz():
    """For the supervisor: 200 as long as the process answers (no database, no Redis)."""
    return {"status": "ok"}


@bp.route("/readyz")
def readyz():
    """For the load balancer: 200 when the database and Redis answer and the schema is the
    code's; 503 with what is wrong otherwise (an upgrade with a pending migration)."""
    from ..readiness import problems

    found = problems()
    if found:
        return {"status": "not ready", "problems": found}, 503, {"Cache-Control": "no-store"}
    return {"status": "ready"}, 200, {"Cache-Control": "no-store"}


@bp.route("/erreurs/trop-lourd")
def too_large():
    """The page nginx shows for a request past its client_max_body_size (deploy/nginx)."""
    abort(413)


@bp.route("/media/<path:filename>")
def media(filename: str):
    """Images of the content: uploaded ones (MEDIA_DIR) first, then those shipped in content/.
    An uploaded file's random name is never reused: kept a year. A content/ file may be
    replaced under its name: an hour, then a cheap revalidation."""
    for folder in (current_app.config["MEDIA_DIR"], current_app.config["CONTENT_DIR"] / "media"):
        if (Path(folder) / filename).is_file():
            immutable = folder == current_app.config["MEDIA_DIR"] and is_stored_name(filename)
            response = send_from_directory(folder, filename,
                                           max_age=MEDIA_MAX_AGE if immutable else 3600)
            response.headers["Content-Disposition"] = "inline"
            # Served alone, a file can run nothing and reach nothing (even if a browser guessed).
            response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
            response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
            return response
    abort(404)
