"""Fixtures of contribution tests: Paris time frozen on a Tuesday morning, four quartiers."""

from datetime import datetime

import pytest

from portal.clock import PARIS

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)  # a Tuesday


@pytest.fixture
def now(frozen_clock):
    frozen_clock(NOW)
    return NOW


@pytest.fixture
def reasons(db):
    """The four reasons of "non retenue" migration 0022 seeds, as rows."""
    from tests.contributions.factories import seeded_reasons

    return seeded_reasons()
