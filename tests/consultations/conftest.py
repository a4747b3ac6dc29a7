import pytest

from tests.consultations.factories import NOW


@pytest.fixture(autouse=True)
def _clock(frozen_clock, backoffice):
    # `backoffice` resets the rate limits (per process) before and after each test.
    frozen_clock(NOW)


@pytest.fixture(autouse=True)
def _empty_results_cache():
    # Tables are emptied between tests and SQLite reuses ids: no count may outlive its test.
    from portal.consultations import results

    results._CACHE.clear()
    yield
    results._CACHE.clear()
