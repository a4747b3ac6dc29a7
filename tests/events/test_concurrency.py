"""No overbooking: 50 registrations sent at once to a real server for 20 places give exactly
20 confirmed people and 30 on the waiting list (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set: the suite runs on each)."""

import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.serving import make_server

from portal.events.models import Event, Registration, RegistrationStatus
from portal.extensions import db
from tests.events.factories import with_registration
from tests.factories import make_quartier

REQUESTS, PLACES = 50, 20


@pytest.fixture
def server(app, committed_db, monkeypatch):
    # CSRF has its own tests; here each request must reach the registration itself.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


def post(base: str, path: str, data: dict) -> int:
    request = urllib.request.Request(  # noqa: S310  (http://127.0.0.1 of the test server)
        base + path, data=urllib.parse.urlencode(data).encode(), method="POST",
        headers={"Host": "localhost"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_fifty_concurrent_registrations_for_twenty_places(now, server):
    event = with_registration(make_quartier("alma"), capacity=PLACES)
    path = f"/agenda/{event.id}/inscription"
    db.session.commit()  # end the test's read: SQLite writers wait for every reader
    barrier = threading.Barrier(REQUESTS)

    def register(n: int) -> int:
        barrier.wait()  # all at once
        return post(server, path, {
            "name": f"Personne {n}", "email": f"personne{n}@exemple.fr", "people": "1",
            "consent": "y"})

    with ThreadPoolExecutor(REQUESTS) as pool:
        statuses = list(pool.map(register, range(REQUESTS)))
    assert statuses == [302] * REQUESTS
    db.session.expire_all()
    found = db.session.scalars(db.select(Registration).filter_by(event_id=event.id)).all()
    confirmed = sum(r.people for r in found if r.status is RegistrationStatus.CONFIRMED)
    waiting = sum(r.status is RegistrationStatus.WAITING for r in found)
    assert (confirmed, waiting) == (PLACES, REQUESTS - PLACES)
    assert db.session.get(Event, event.id).seats_taken == PLACES


def test_the_same_person_sending_twice_at_once_gets_one_place(now, server):
    event = with_registration(make_quartier("alma"), capacity=PLACES)
    path = f"/agenda/{event.id}/inscription"
    db.session.commit()  # end the test's read: SQLite writers wait for every reader
    barrier = threading.Barrier(10)

    def register(_n: int) -> int:
        barrier.wait()
        return post(server, path, {
            "name": "Samira", "phone": "0612345678", "people": "2", "consent": "y"})

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(register, range(10)))
    assert statuses == [302] * 10
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1
    assert db.session.get(Event, event.id).seats_taken == 2
