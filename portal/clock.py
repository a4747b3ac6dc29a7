"""The one clock: what time it is in Roubaix (`now()`, `today()`, Europe/Paris) and the UTC
instant stored in timestamp columns (`utcnow()`). Every domain reads the time here, so tests
set it in one place (the `frozen_clock` fixture of tests/conftest.py)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def _system_now() -> datetime:
    # The only read of the system clock; tests replace this function, nothing else does.
    return datetime.now(UTC)


def utcnow() -> datetime:
    """The current instant in UTC, as timestamp columns store it."""
    return _system_now().astimezone(UTC)


def now() -> datetime:
    """The current time in Roubaix (Europe/Paris, aware)."""
    return _system_now().astimezone(PARIS)


def today() -> date:
    """Today's date in Roubaix: after 23:00 UTC in winter it is already tomorrow there."""
    return now().date()


def machine_today() -> date:
    """The machine's own local date, never frozen: what libraries that check dates against
    `date.today()` compare with (the data·inclusion schema refuses a `date_maj` after it)."""
    return date.today()
