import pytest

from tests.consultations.factories import NOW


@pytest.fixture(autouse=True)
def _clock(frozen_clock, backoffice):
    # `backoffice` resets the rate limits (per process) before and after each test.
    frozen_clock(NOW)
