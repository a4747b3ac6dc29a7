"""portal/clock.py: the one clock. Paris time and date for what residents read, UTC for what
is stored, one fixture to stop it, and no other module reading the system time."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from portal import clock
from portal.clock import PARIS

PORTAL = Path(__file__).resolve().parent.parent / "portal"


def test_the_clock_reads_paris_time_and_stores_utc():
    now, utc = clock.now(), clock.utcnow()
    assert now.tzinfo is PARIS and utc.tzinfo is UTC
    assert abs((now - utc).total_seconds()) < 5


def test_frozen_clock_stops_every_reading(frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
    assert clock.now() == datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
    assert clock.utcnow() == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 11, 25)


def test_today_is_the_date_in_roubaix_not_in_utc(frozen_clock):
    frozen_clock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 on 1 January in Paris
    assert clock.today() == date(2027, 1, 1)
    frozen_clock(datetime(2027, 7, 1, 21, 59, tzinfo=UTC))  # 23:59 in summer time
    assert clock.today() == date(2027, 7, 1)


def test_stored_timestamps_come_from_the_same_clock(db, frozen_clock):
    from tests.factories import make_quartier

    frozen_clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
    quartier = make_quartier("alma")
    db.session.expire_all()
    stored = quartier.created_at
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == clock.utcnow()


def test_no_other_module_reads_the_system_clock():
    reads = re.compile(r"datetime\.(?:now|utcnow|today)\(|date\.today\(|ZoneInfo\(\"Europe/Paris")
    for path in PORTAL.rglob("*.py"):
        if path.name == "clock.py" or "migrations" in path.parts:
            continue
        assert not reads.search(path.read_text(encoding="utf-8")), path
