"""A double tap on a bad network: the same form (one idempotency key) sent ten times at once
to a real server records one contribution; twenty different forms at once record twenty
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from portal.contributions.models import Contribution, ContributionUpdate
from portal.extensions import db, limiter
from tests.contributions.factories import resident_form
from tests.events.test_concurrency import post, server  # noqa: F401  (fixture)

PATH = "/contributions/nouvelle"


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def send_at_once(base: str, forms: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(forms))

    def send(data: dict) -> int:
        barrier.wait()
        return post(base, PATH, data)

    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(send, forms))


def test_the_same_form_sent_ten_times_at_once_records_once(now, app, server, quartiers,  # noqa: F811
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "CONTRIBUTION_RATE_LIMIT", "1000 per hour")
    limiter.reset()
    statuses = send_at_once(server, [resident_form("", key="double-tap-" + "x" * 20)] * 10)
    assert statuses == [302] * 10
    assert count(Contribution) == 1 and count(ContributionUpdate) == 1


def test_twenty_people_at_once_record_twenty(now, app, server, quartiers,  # noqa: F811
                                             monkeypatch):
    monkeypatch.setitem(app.config, "CONTRIBUTION_RATE_LIMIT", "1000 per hour")
    limiter.reset()
    forms = [resident_form("", key=f"personne-{n:02d}-" + "y" * 20) for n in range(20)]
    assert send_at_once(server, forms) == [302] * 20
    assert count(Contribution) == 20


def test_the_rate_limit_stops_a_loop(now, app, client, quartiers, nothing_written,
                                     monkeypatch):
    from tests.contributions.factories import post_new

    monkeypatch.setitem(app.config, "CONTRIBUTION_RATE_LIMIT", "3 per hour")
    limiter.reset()
    for n in range(3):
        assert post_new(client, key=f"boucle-{n}-" + "z" * 20).status_code == 302
    with nothing_written():
        assert post_new(client, key="boucle-4-" + "z" * 20).status_code == 429
