"""The concertation blocks of the home page and of quartier pages, and the sitemap."""

from flask_babel import lazy_gettext as _l

from ..registry import Registry, Section
from .queries import open_campaigns


def _sitemap():
    from sqlalchemy.orm import load_only

    from ..extensions import db
    from .models import Campaign
    from .queries import published_campaigns, results_public

    yield "consultations.index", {}
    # The columns the URLs and the results' visibility need, not the campaigns' texts.
    columns = load_only(Campaign.slug, Campaign.results_visibility, Campaign.opens_at,
                        Campaign.closes_at, raiseload=True)
    for campaign in db.session.scalars(published_campaigns().options(columns)):
        yield "consultations.campaign", {"slug": campaign.slug}
        if results_public(campaign):
            yield "consultations.results", {"slug": campaign.slug}


def register(reg: Registry) -> None:
    reg.add_home_section(Section(
        "consultations", 30, _l("Concertations ouvertes"), "consultations/_list.html",
        lambda: open_campaigns(limit=3), _l("Aucune concertation n'est ouverte en ce moment."),
        "consultations.index", _l("Toutes les concertations"),
    ))
    reg.add_quartier_section(Section(
        "consultations", 35, _l("Concertations ouvertes"), "consultations/_list.html",
        lambda quartier: open_campaigns(quartier, limit=3),
        _l("Aucune concertation n'est ouverte dans ce quartier."),
        "consultations.index", _l("Toutes les concertations"),
    ))
    reg.add_sitemap(_sitemap)
