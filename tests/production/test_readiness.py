"""/healthz says the process lives; /readyz that the database, its schema and Redis are
ready, and why not (503) otherwise."""

from sqlalchemy import text

from portal import readiness


def test_healthz_needs_nothing_but_the_process(client, monkeypatch):
    def broken():
        raise AssertionError("healthz must not touch the database")

    monkeypatch.setattr(readiness, "problems", broken)
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ready_when_database_is_at_the_code_heads(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ready"}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_pending_migration_makes_the_server_not_ready(client, db):
    (current,) = readiness.database_revisions()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()
    assert response.status_code == 503
    assert "flask db upgrade" in response.get_json()["problems"]["database"]


def test_database_unreachable_is_503_without_a_trace(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(readiness, "database_revisions", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.get_json()["problems"]["database"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_redis_is_checked_when_configured(workers):
    ready = workers()
    with ready.app_context():
        assert ready.test_client().get("/readyz").status_code == 200
    down = workers(REDIS_URL="redis://127.0.0.1:1/0")
    with down.app_context():
        response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["problems"] == {"redis": "Redis (REDIS_URL) does not answer"}


def test_code_heads_are_the_migrations_heads():
    assert len(readiness.code_heads()) == 1
    assert readiness.code_heads() <= readiness.known_revisions()
