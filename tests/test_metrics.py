"""portal/metrics.py: /metrics in Prometheus' text format, requests by endpoint (never the raw
path) and status, latency, the outbox and the validation queue read from the database, and
never served to a request that came through the proxy."""

import re
import subprocess
import sys
import textwrap
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from portal.messages.models import Channel, Message, MessageState
from portal.mixins import utcnow
from portal.publication import PublicationStatus
from tests.events.factories import make_event
from tests.factories import make_quartier


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_counted_by_endpoint_and_status(client):
    make_quartier("alma")
    before = scrape(client)
    for _ in range(3):
        assert client.get("/quartiers/alma").status_code == 200
    assert client.get("/quartiers/nulle-part").status_code == 404
    assert client.get("/pas/une/page/hx-123").status_code == 404
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    page = {"endpoint": "core.quartier", "method": "GET"}
    assert delta("portal_http_requests_total", status="200", **page) == 3
    assert delta("portal_http_requests_total", status="404", **page) == 1
    # No route: one label value, whatever the path (a scanner cannot grow the series).
    assert delta("portal_http_requests_total", endpoint="none", method="GET", status="404") == 1
    assert delta("portal_http_request_duration_seconds_count", **page) == 4
    assert delta("portal_http_request_duration_seconds_bucket", le="+Inf", **page) == 4
    assert delta("portal_http_request_duration_seconds_sum", **page) > 0
    assert not [key for key in after if "hx-123" in str(key) or "alma" in str(key)]


def test_outbox_depth_and_oldest_waiting_age(client, db):
    now = utcnow()
    for state, minutes in ((MessageState.QUEUED, 30), (MessageState.FAILED, 5),
                           (MessageState.SENT, 120), (MessageState.DEAD, 240)):
        db.session.add(Message(channel=Channel.EMAIL, recipient="a@example.org", kind="test",
                               subject="s", body="b", state=state,
                               created_at=now - timedelta(minutes=minutes)))
    db.session.commit()
    samples = scrape(client)
    assert value(samples, "portal_outbox_depth") == 2
    assert value(samples, "portal_outbox_messages", state="queued") == 1
    assert value(samples, "portal_outbox_messages", state="sent") == 1
    assert value(samples, "portal_outbox_messages", state="dead") == 1
    assert 30 * 60 - 5 <= value(samples, "portal_outbox_oldest_waiting_seconds") <= 30 * 60 + 60


def test_empty_queues_read_zero(client, db):
    samples = scrape(client)
    assert value(samples, "portal_outbox_depth") == 0
    assert value(samples, "portal_outbox_oldest_waiting_seconds") == 0
    assert value(samples, "portal_validation_queue_items") == 0
    assert value(samples, "portal_validation_queue_oldest_seconds") == 0


def test_validation_queue_size_and_oldest_age_over_every_quartier(client, db):
    now = utcnow()
    make_event(make_quartier("alma"), publication_status=PublicationStatus.PENDING,
               submitted_at=now - timedelta(hours=3))
    make_event(make_quartier("pile"), publication_status=PublicationStatus.PENDING,
               submitted_at=now - timedelta(hours=1))
    samples = scrape(client)
    assert value(samples, "portal_validation_queue_items") == 2
    assert 3 * 3600 - 5 <= value(samples, "portal_validation_queue_oldest_seconds") <= 3 * 3600 + 60


def test_refused_through_the_proxy(client):
    # nginx adds X-Forwarded-For to everything it passes on: such a request came from outside.
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404
    assert b"portal_http" not in response.data


def test_nginx_site_refuses_metrics():
    from pathlib import Path

    site = (Path(__file__).resolve().parent.parent / "deploy/nginx/portal.conf").read_text()
    assert re.search(r"^\s*location /metrics \{ return 404; \}", site, flags=re.M)


def test_multiprocess_mode_sums_every_process(tmp_path):
    """Two processes (two gunicorn workers) write into PROMETHEUS_MULTIPROC_DIR; a scrape in a
    third sums both."""
    script = textwrap.dedent("""
        from portal import create_app
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                          "PORTAL_ENV": "development"})
        with app.test_client() as client:
            for _ in range(2):
                client.get("/healthz")
            print(client.get("/healthz").status_code)
    """)
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PORTAL_ENV": "development",
           "PATH": "/usr/bin:/bin"}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    scrape_script = textwrap.dedent("""
        from portal import create_app, metrics
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        print(generate_latest(registry).decode())
    """)
    done = subprocess.run([sys.executable, "-c", scrape_script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(line for line in done.stdout.splitlines()
                if line.startswith("portal_http_requests_total{")
                and 'endpoint="core.healthz"' in line)
    assert float(line.rsplit(" ", 1)[1]) == 6
