"""The participation pages in the 100x benchmark (scale.py): what each adds to the content it
loads, at the size its issue measured, written by that domain's own generator.

At 1x the demonstration content alone. At 100x: 1,000 rendez-vous with 20,000 registrations
(issue 15, events.add_events), 100,000 answers to one consultation (issue 16, the loader's
generate_responses), 10,000 published contributions (issue 17, contributions.add). /chiffres
(issue 18) counts all of them for the year.
"""

import random

from sqlalchemy import func, select

from portal.consultations.loader import generate_responses
from portal.consultations.models import Campaign, Response
from portal.contributions.models import Contribution
from portal.events.models import Event
from portal.extensions import db

PARTICIPATION_PAGES = [
    "/agenda/", "/agenda/{event}", "/concertations/", "/concertations/{consultation}",
    "/concertations/{consultation}/resultats", "/contributions/", "/contributions/carte.js",
    "/contributions.geojson", "/contributions/{contribution}", "/chiffres",
]
EVENT = "demo-alma-reunion-publique"  # the pages measured are the demonstration's own
CONSULTATION = "alma-charte-relogement"  # closed, results public: its answers grow
# Per factor of 100: the issues' sizes.
EVENTS, REGISTRATIONS_EACH, ANSWERS, CONTRIBUTIONS = 1_000, 20, 100_000, 10_000
BATCH = 5000


def add_participation(app, factor: int) -> dict:
    """Adds the rows for `factor` (nothing at 1) and names the pages' objects for PAGES."""
    from tests.benchmarks import contributions, events

    with app.app_context():
        if factor > 1:
            share = factor / 100
            events.add_events(round(EVENTS * share), REGISTRATIONS_EACH)
            contributions.add(round(CONTRIBUTIONS * share))
            campaign = db.session.scalar(select(Campaign).filter_by(slug=CONSULTATION))
            rng, target = random.Random(13), round(ANSWERS * share)
            have = db.session.scalar(select(func.count()).select_from(Response)
                                     .where(Response.campaign_id == campaign.id))
            while have < target:
                step = min(BATCH, target - have)
                generate_responses(campaign, step, rng)
                db.session.commit()
                have += step
        names = {"event": db.session.scalar(select(Event.id).filter_by(slug=EVENT)),
                 "consultation": CONSULTATION,
                 "contribution": db.session.scalar(
                     select(func.min(Contribution.id)).where(Contribution.is_published))}
        db.session.remove()
    return names
