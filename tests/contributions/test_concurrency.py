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


def _open_limits(app, monkeypatch):
    for name in ("CONTRIBUTION_SUPPORT_LIMIT", "CONTRIBUTION_SUPPORT_PER_ITEM",
                 "CONTRIBUTION_ABUSE_RATE_LIMIT", "CONTRIBUTION_ABUSE_PER_ITEM"):
        monkeypatch.setitem(app.config, name, "1000 per hour")
    limiter.reset()


def _published(quartiers) -> int:
    from tests.contributions.factories import make_contribution

    row = make_contribution(quartiers["alma"])
    db.session.commit()  # end the test's read: SQLite writers wait for every reader
    return row.id


def _at_once(base: str, path: str, forms: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(forms))

    def send(data: dict) -> int:
        barrier.wait()
        return post(base, path, data)

    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(send, forms))


def test_a_double_tap_on_moi_aussi_counts_once(now, app, server, quartiers,  # noqa: F811
                                               monkeypatch):
    from portal.contributions.models import ContributionSupport

    _open_limits(app, monkeypatch)
    cid = _published(quartiers)
    path = f"/contributions/{cid}/soutenir"
    assert _at_once(server, path, [{"soutien-key": "tap-" + "t" * 28}] * 10) == [302] * 10
    assert count(ContributionSupport) == 1
    forms = [{"soutien-key": f"voisin-{n:02d}-" + "v" * 20} for n in range(10)]
    assert _at_once(server, path, forms) == [302] * 10
    assert count(ContributionSupport) == 11


def test_reports_reaching_the_limit_at_once_queue_it_once(now, app, server, quartiers,  # noqa: F811
                                                          monkeypatch):
    from portal.backoffice.models import AuditEntry
    from portal.contributions.models import ContributionAbuseReport
    from portal.publication import PublicationStatus

    _open_limits(app, monkeypatch)
    monkeypatch.setitem(app.config, "CONTRIBUTION_ABUSE_LIMIT", 3)
    cid = _published(quartiers)
    forms = [{"abus-key": f"abus-{n:02d}-" + "a" * 20, "abus-reason": "insulte"}
             for n in range(8)]
    statuses = _at_once(server, f"/contributions/{cid}/signaler", forms)
    # Those that came after it was off the site find nothing public (404).
    assert set(statuses) <= {302, 404} and 302 in statuses
    assert count(ContributionAbuseReport) >= 3
    db.session.expire_all()
    assert db.session.get(Contribution, cid).publication_status is PublicationStatus.PENDING
    queued = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "abuse_queue")).all()
    assert len(queued) == 1
