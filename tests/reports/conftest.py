"""A small hand-computed data set: Alma's weekly Wednesday passage and Pile's one-off, seen
on Friday 20 March 2026."""

from datetime import UTC, date, datetime

import pytest

from portal.clock import PARIS
from tests.mobile_house.factories import cancel, make_visit
from tests.reports.factories import receive


@pytest.fixture
def march(quartiers, frozen_clock):
    frozen_clock(datetime(2026, 3, 20, 10, tzinfo=PARIS))
    alma = make_visit(quartiers["alma"], slug="alma-mercredi", starts_on=date(2026, 1, 7),
                      ends_on=date(2026, 3, 25))
    cancel(alma, date(2026, 3, 11), reason="Camion en panne")
    cancel(alma, date(2026, 2, 4), reason="Neige")
    pile = make_visit(quartiers["pile"], slug="pile-unique", rrule=None,
                      starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 10))
    for day, people in ((date(2026, 3, 4), 12), (date(2026, 3, 18), 8), (date(2026, 2, 25), 5)):
        receive(alma, day, people)
    receive(pile, date(2026, 3, 10), 3)
    return {"alma": alma, "pile": pile}


@pytest.fixture
def activity(quartiers, frozen_clock):
    """March 2026, seen on Friday 20 March at 10:00 (the figures are worked out in
    tests/reports/test_participation.py, test_living.py and test_information.py)."""
    from portal.consultations.models import Channel as A
    from portal.contributions.models import Channel as K
    from portal.contributions.models import Kind, Status
    from portal.events.models import Channel as R
    from portal.events.models import EventStatus, RegistrationStatus
    from portal.extensions import db
    from portal.messages.models import Channel as M
    from portal.messages.models import MessageState
    from portal.publication import PublicationStatus
    from tests.consultations.factories import make_campaign
    from tests.contributions.factories import make_contribution
    from tests.events.factories import make_event, make_registration, paris
    from tests.messages.factories import make_subscription
    from tests.reports.factories import answer, message, step

    frozen_clock(datetime(2026, 3, 20, 10, tzinfo=PARIS))
    alma, epeule, pile = quartiers["alma"], quartiers["epeule"], quartiers["pile"]
    # Campaigns: Parc spans February and March; Écoles asks two quartiers.
    parc = make_campaign([alma], opens=paris(2026, 2, 15), closes=paris(2026, 3, 15),
                         title="Parc", questions=())
    ecoles = make_campaign([alma, pile], opens=paris(2026, 3, 1), closes=paris(2026, 4, 1),
                           title="Écoles", questions=())
    square = make_campaign([epeule], opens=paris(2026, 3, 1), closes=paris(2026, 4, 30),
                           title="Square", questions=())
    for when, channel in ((paris(2026, 2, 20, 10), A.ONLINE), (paris(2026, 2, 20, 11), A.ONLINE),
                          (paris(2026, 3, 5, 10), A.ONLINE), (paris(2026, 3, 5, 11), A.PAPER),
                          (paris(2026, 3, 10, 16), A.MOBILE_HOUSE)):
        answer(parc, when, channel)
    for channel in (A.PHONE, A.WORKSHOP, A.ONLINE):
        answer(ecoles, paris(2026, 3, 12, 18), channel)
    answer(square, paris(2026, 3, 3, 9))
    answer(square, paris(2026, 3, 31, 23, 30))  # still March in Paris (21:30 UTC)
    answer(square, paris(2026, 4, 1, 0, 30))  # April in Paris, though 31 March in UTC
    # Rendez-vous.
    held = make_event(alma, starts_at=paris(2026, 3, 5, 18), registration=True, capacity=20,
                      attendance=2)
    make_registration(held, people=2)
    make_registration(held, people=1, channel=R.PHONE)
    make_registration(held, people=1, status=RegistrationStatus.CANCELLED)
    make_registration(held, people=1, status=RegistrationStatus.WAITING)
    cancelled = make_event(alma, starts_at=paris(2026, 3, 10, 18), registration=True,
                           capacity=20, status=EventStatus.CANCELLED)
    make_registration(cancelled, people=4)
    coming = make_event(alma, starts_at=paris(2026, 3, 25, 18), registration=True, capacity=9)
    make_registration(coming, people=1)
    make_event(pile, starts_at=paris(2026, 3, 12, 18), attendance=15)  # no registration
    unmeasured = make_event(pile, starts_at=paris(2026, 3, 14, 10), registration=True,
                            capacity=10)
    make_registration(unmeasured, people=2, channel=R.MOBILE_HOUSE)
    make_event(epeule, starts_at=paris(2026, 3, 2, 18), attendance=30,
               publication_status=PublicationStatus.PENDING)
    # Contributions.
    def report(quartier, category, submitted, **fields):
        fields = {k: v.astimezone(UTC) if isinstance(v, datetime) else v
                  for k, v in fields.items()}
        return make_contribution(quartier, category=category,
                                 submitted_at=submitted.astimezone(UTC), **fields)

    k1 = report(alma, "eclairage", paris(2026, 3, 2, 10), first_answered_at=paris(2026, 3, 4, 10))
    step(k1, Status.TRANSMITTED, paris(2026, 3, 5, 10), "ville_eclairage")
    step(k1, Status.RESOLVED, paris(2026, 3, 12, 10))
    k2 = report(alma, "eclairage", paris(2026, 3, 3, 10), channel=K.PHONE,
                first_answered_at=paris(2026, 3, 9, 10))
    step(k2, Status.RESOLVED, paris(2026, 3, 10, 10))
    step(k2, Status.IN_PROGRESS, paris(2026, 3, 15, 10))  # reopened after "résolu"
    k3 = report(alma, "proprete", paris(2026, 2, 20, 10), first_answered_at=paris(2026, 3, 2, 10))
    step(k3, Status.RESOLVED, paris(2026, 3, 5, 10))
    k4 = report(pile, "proprete", paris(2026, 3, 5, 10), channel=K.MOBILE_HOUSE,
                publication_status=PublicationStatus.REJECTED,
                first_answered_at=paris(2026, 3, 6, 10))
    step(k4, Status.NOT_RETAINED, paris(2026, 3, 6, 10))
    report(pile, "", paris(2026, 3, 8, 10), kind=Kind.IDEA,
           publication_status=PublicationStatus.PENDING)
    k6 = report(pile, "voirie", paris(2026, 1, 10, 10))
    step(k6, Status.TRANSMITTED, paris(2026, 1, 12, 10), "mel")
    k7 = report(alma, "voirie", paris(2026, 3, 1, 9), first_answered_at=paris(2026, 3, 3, 9))
    step(k7, Status.TRANSMITTED, paris(2026, 3, 2, 9), "mel")
    step(k7, Status.TRANSMITTED, paris(2026, 3, 6, 9), "mel")
    # Subscribers and messages.
    for address, chosen, confirmed in (("a@example.org", [alma, pile], paris(2026, 3, 10)),
                                       ("+33611111111", [alma], paris(2026, 1, 5)),
                                       ("b@example.org", [epeule], None),
                                       ("c@example.org", [alma], paris(2026, 3, 1))):
        row = make_subscription(address, quartiers=chosen, confirmed=confirmed is not None)
        row.confirmed_at = confirmed and confirmed.astimezone(UTC)
        db.session.commit()
    message("digest", paris(2026, 3, 3, 8), MessageState.SENT)
    message("digest", paris(2026, 3, 4, 8), MessageState.DEAD)
    message("digest", paris(2026, 3, 5, 8), MessageState.SENT, M.SMS)
    message("confirm", paris(2026, 3, 6, 8), MessageState.QUEUED)
    message("digest", paris(2026, 2, 27, 8), MessageState.SENT)
    return {"parc": parc, "ecoles": ecoles, "square": square}
