"""Rows for tests: each factory fills what a test does not care about."""

import json
from datetime import UTC, datetime
from itertools import count

from portal.extensions import db
from portal.news.models import NewsArticle
from portal.publication import PublicationStatus
from portal.quartiers import Quartier
from portal.sanitize import render_stored

_numbers = count(1)

QUARTIER_NAMES = {"alma": "Alma", "epeule": "Épeule", "pile": "Pile", "trois-ponts": "Trois Ponts"}


def make_quartier(slug: str = "alma", **fields) -> Quartier:
    values = {"name": QUARTIER_NAMES.get(slug, slug.title()), "summary": f"Le quartier {slug}.",
              "position": next(_numbers), "translations": {}, "figures": []}
    values.update(fields)
    quartier = Quartier(slug=slug, **values)
    render_stored(quartier)  # as the loader and the back office do on save
    db.session.add(quartier)
    db.session.commit()
    return quartier


def make_news(slug: str | None = None, **fields) -> NewsArticle:
    n = next(_numbers)
    values = {
        "title": f"Actualité {n}", "summary": f"Résumé {n}", "body": f"Texte de l'actualité {n}.",
        "publication_status": PublicationStatus.PUBLISHED, "published_at": datetime(2026, 10, 1, 9, tzinfo=UTC),
        "translations": {},
    }
    values.update(fields)
    article = NewsArticle(slug=slug or f"actualite-{n}", **values)
    render_stored(article)  # as the loader and the back office do on save
    db.session.add(article)
    db.session.commit()
    return article


def map_data(script: str) -> dict:
    """The description a map script (`.../carte.js`) hands to static/js/map.js's drawMap()."""
    start = script.index("drawMap(") + len("drawMap(")
    return json.loads(script[start:script.rindex("); }")])


def map_markers(script: str) -> list[dict]:
    return [layer for layer in map_data(script)["layers"] if layer["kind"] == "marker"]
