"""Works sites and updates for back-office tests (one row at a time, no content file)."""

from datetime import date
from itertools import count

from portal.extensions import db
from portal.publication import PublicationStatus
from portal.sanitize import render_stored
from portal.works.models import WorksKind, WorksSite, WorksStatus, WorksUpdate

_n = count(1)


def make_site(quartier, **fields) -> WorksSite:
    n = next(_n)
    values = {
        "slug": f"chantier-{n}", "title": f"Chantier {n}", "kind": WorksKind.DEMOLITION,
        "status": WorksStatus.ONGOING, "summary": "Démolition d’un immeuble.",
        "owner": "Lille Métropole Habitat", "translations": {},
        "geometry": {"type": "Point", "coordinates": [3.1668, 50.6992]},
        "latitude": 50.6992, "longitude": 3.1668, "publication_status": PublicationStatus.PUBLISHED,
    }
    values.update(fields)
    site = WorksSite(quartier=quartier, **values)
    render_stored(site)  # as the loader and the back office do on save
    db.session.add(site)
    db.session.commit()
    return site


def make_update(site, text: str = "Installation du chantier", **fields) -> WorksUpdate:
    update = WorksUpdate(site=site, published_on=fields.pop("published_on", date(2026, 11, 2)),
                         text=text, translations=fields.pop("translations", {}), **fields)
    db.session.add(update)
    db.session.commit()
    return update
