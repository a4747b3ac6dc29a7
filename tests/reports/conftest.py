"""A small hand-computed data set: Alma's weekly Wednesday passage and Pile's one-off, seen
on Friday 20 March 2026."""

from datetime import date, datetime

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
