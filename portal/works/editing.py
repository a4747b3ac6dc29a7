"""Write operations on works sites from the back office; each one writes the audit log."""

from .. import geo
from ..backoffice import audit
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, publish, unpublish
from ..sanitize import render_stored
from ..slugs import unique_slug
from .models import WorksSite, WorksUpdate

FIELDS = ("quartier_id", "title", "kind", "status", "summary", "description", "address",
          "owner", "planned_start", "planned_end", "actual_start", "actual_end",
          "homes_concerned", "nuisances", "nuisances_until", "contact_name", "contact_email",
          "contact_phone", "insertion_jobs", "insertion_hours", "insertion_contact", "geometry",
          "translations", *DECISION)
TEXTS = ("title", "summary", "description", "address", "owner", "nuisances", "contact_name",
         "contact_email", "contact_phone", "insertion_contact")
VALUES = ("planned_start", "planned_end", "actual_start", "actual_end", "homes_concerned",
          "nuisances_until", "insertion_jobs", "insertion_hours")
TRAIL = audit.Trail("works_site", FIELDS)


def _apply(site: WorksSite, data: dict) -> None:
    for name in TEXTS:
        setattr(site, name, (data.get(name) or "").strip())
    for name in VALUES:
        setattr(site, name, data.get(name))
    site.quartier_id = data["quartier_id"]
    site.kind, site.status = data["kind"], data["status"]
    site.translations = data.get("translations") or {}
    render_stored(site)
    site.geometry = data["geometry"]
    # The marker's place, as the content loader computes it.
    site.latitude, site.longitude = geo.label_point(site.geometry)


def create_site(actor, data: dict) -> WorksSite:
    # A draft until someone publishes it: a half-filled site never shows on the public map.
    site = WorksSite(slug=unique_slug(WorksSite.slug, data["title"], "chantier"), demo=False,
                     publication_status=PublicationStatus.DRAFT)
    _apply(site, data)
    db.session.add(site)
    TRAIL.created(actor, site)
    db.session.flush()
    return site


def update_site(actor, site: WorksSite, data: dict) -> WorksSite:
    with TRAIL.change(actor, "update", site):
        _apply(site, data)
    db.session.flush()
    return site


def set_published(actor, site: WorksSite, published: bool) -> None:
    (publish if published else unpublish)(site, actor, trail=TRAIL)
    db.session.flush()


def delete_site(actor, site: WorksSite) -> None:
    TRAIL.deleted(actor, site)
    db.session.delete(site)
    db.session.flush()


def add_update(actor, site: WorksSite, published_on, text: str,
               translations: dict) -> WorksUpdate:
    update = WorksUpdate(site=site, published_on=published_on, text=text.strip(),
                         translations=translations)
    db.session.add(update)
    TRAIL.record(actor, "add_update", site,
                 changes={"update": [None, f"{published_on.isoformat()} {update.text}"]})
    db.session.flush()
    return update


def delete_update(actor, update: WorksUpdate) -> None:
    site = update.site
    TRAIL.record(actor, "delete_update", site,
                 changes={"update": [f"{update.published_on.isoformat()} {update.text}", None]})
    db.session.delete(update)
    db.session.flush()
