"""portal/logs.py: JSON log lines carrying the request id nginx sends (X-Request-Id)."""

import io
import json
import logging

import pytest
from flask import current_app

from portal import create_app, logs

NGINX_ID = "5f0c3b7e9a1d4c2b8e6f0a9b1c2d3e4f"  # what nginx's $request_id looks like


@pytest.fixture
def json_app(tmp_path):
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "LOG_FORMAT": "json",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'logs.db'}",
                      "PAGE_VIEWS_ENABLED": False})

    @app.get("/journal-test")
    def write_logs():
        current_app.logger.warning("une ligne de %s", "journal")
        logging.getLogger("portal.journal_test").info("depuis un module")
        return "ok"

    @app.get("/panne-test")
    def broken():
        raise RuntimeError("panne voulue")

    return app


@pytest.fixture
def lines():
    """What the portal logger writes, through the production formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    logger = logging.getLogger("portal")
    # The session's migrations ran Alembic's fileConfig, which disables the loggers that
    # existed then (a server never runs them in its own process).
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.disabled = disabled


def test_json_app_logs_json_lines(json_app):
    handlers = [h for h in logging.getLogger("portal").handlers if getattr(h, "portal_json", 0)]
    assert len(handlers) == 1 and isinstance(handlers[0].formatter, logs.JsonFormatter)


def test_the_request_id_nginx_sends_is_in_each_record(json_app, lines):
    response = json_app.test_client().get("/journal-test", headers={"X-Request-Id": NGINX_ID})
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == NGINX_ID
    records = [r for r in lines() if r["message"] in ("une ligne de journal",
                                                      "depuis un module")]
    assert len(records) == 2
    for record in records:
        assert record["request_id"] == NGINX_ID
        assert record["path"] == "/journal-test" and record["method"] == "GET"
    assert records[0]["level"] == "WARNING" and records[0]["logger"] == "portal"
    assert records[1]["logger"] == "portal.journal_test"


def test_a_trace_carries_the_request_id(json_app, lines):
    response = json_app.test_client().get("/panne-test", headers={"X-Request-Id": NGINX_ID})
    assert response.status_code == 500
    (record,) = [r for r in lines() if r["level"] == "ERROR" and "exception" in r]
    assert record["request_id"] == NGINX_ID
    assert "RuntimeError: panne voulue" in record["exception"]


@pytest.mark.parametrize("given", ["", "court", "a" * 200, "id with spaces", '"}{"x'])
def test_without_a_usable_id_the_app_makes_one(json_app, lines, given):
    response = json_app.test_client().get("/journal-test", headers={"X-Request-Id": given})
    made = response.headers["X-Request-Id"]
    assert made != given and len(made) == 32
    assert {r["request_id"] for r in lines() if r["message"] == "une ligne de journal"} == {made}


def test_outside_a_request_the_id_is_null(json_app, lines):
    with json_app.app_context():
        current_app.logger.warning("une commande")
    (record,) = lines()
    assert record["request_id"] is None and "path" not in record
