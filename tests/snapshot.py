"""A snapshot of every public page, feed and export (not a test): the demonstration content
loaded into a fresh SQLite database, each URL of the sitemap and every feed, map script,
poster, GeoJSON, JSON and CSV fetched in French, English and Arabic, written under DIR. Run it
before and after a change that must not alter what residents get, then `diff -r` the two.

    .venv/bin/python -m tests.snapshot /tmp/before
"""

import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from flask_migrate import upgrade

from portal import create_app
from portal.content import load_content
from portal.extensions import db
from portal.languages import LANGUAGES

FIXED = ["/", "/robots.txt", "/sitemap.xml", "/actualites/flux.atom", "/chantiers.geojson",
         "/chantiers/carte.js", "/maison-du-projet/carte.js", "/maison-du-projet.ics",
         "/donnees/structures.json", "/donnees/services.json", "/services/?q=logement",
         "/chantiers/?quartier=pile", "/maison-du-projet/?theme=emploi", "/plan-du-site",
         "/healthz", "/pas-de-page-ici"] + [
         f"/maison-du-projet/{slug}.ics" for slug in ("alma", "epeule", "pile", "trois-ponts")]
LINKED = re.compile(r'(?:href|src)="(/(?:maison-du-projet|chantiers|actualites|services|'
                    r'structures|quartiers)[^"#]*\.(?:ics|js)|/maison-du-projet/affiche/[^"#]*)"')
VOLATILE = [  # what changes from one run to the next whatever the code
    (re.compile(r"DTSTAMP:\d{8}T\d{6}Z"), "DTSTAMP:-"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00"), "-"),  # load time
    (re.compile(r'name="csrf_token" type="hidden" value="[^"]+"'), 'name="csrf_token"'),
]


def urls(client) -> list[str]:
    sitemap = client.get("/sitemap-1.xml").get_data(as_text=True)
    found = list(FIXED)
    found += [url for url in re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc>", sitemap)]
    for page in list(found):
        if page.endswith((".js", ".ics", ".json", ".geojson", ".atom", ".txt", ".xml")):
            continue
        html = client.get(page).get_data(as_text=True)
        found += [url.replace("&amp;", "&") for url in LINKED.findall(html)]
    return sorted(set(found))


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 's.db'}",
                          "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0,
                          "SECRET_KEY": "snapshot", "MEDIA_DIR": tmp, "TESTING": True})
        with app.app_context():
            upgrade(revision="heads")
            load_content()
            db.session.remove()
        pages = urls(app.test_client())
        for lang in LANGUAGES:
            client = app.test_client()
            client.get(f"/?lang={lang}")
            for page in pages:
                response = client.get(page)
                body = response.get_data(as_text=True)
                for pattern, same in VOLATILE:
                    body = pattern.sub(same, body)
                name = quote(page, safe="") or "root"
                (out / lang).mkdir(parents=True, exist_ok=True)
                (out / lang / name).write_text(
                    f"{response.status_code} {response.mimetype}\n{body}", encoding="utf-8")
        print(f"{len(pages)} URLs x {len(LANGUAGES)} languages written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
