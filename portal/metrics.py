"""Prometheus metrics (prometheus_client, the Prometheus project's own Python client), on
/metrics: requests by route (the Flask endpoint, never the raw path) and status, their
latency, and, read from the database at each scrape, the outbox's depth and the age of its
oldest waiting message, and the validation queue's size and oldest item's age.

Under gunicorn each worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (the
portal-web@ unit does, deploy/gunicorn.conf.py empties it when the server starts) every
worker writes its counts there and a scrape, answered by any worker, sums them all. Without
it (`make run`, tests) the counts are this process's.

/metrics is for the host's Prometheus only: nginx refuses it (deploy/nginx/portal.conf), and
the app itself answers 404 to any request that came through a proxy (X-Forwarded-For), so a
proxy that forgot the rule still does not expose it.
"""

import os
import time
from functools import cache
from types import SimpleNamespace

from flask import Flask, Response, abort, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Seconds: a cached page takes a few milliseconds, a save some tens, a slow export seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@cache
def _request_metrics() -> SimpleNamespace:
    """Created once per process, the first time an app is built (never at import), in a
    registry of their own: several apps in one process (tests) share them."""
    registry = CollectorRegistry(auto_describe=True)
    return SimpleNamespace(
        registry=registry,
        requests=Counter("portal_http_requests", "Requests answered, by route and status.",
                         ["endpoint", "method", "status"], registry=registry),
        latency=Histogram("portal_http_request_duration_seconds",
                          "Time to answer a request, by route.", ["endpoint", "method"],
                          buckets=BUCKETS, registry=registry),
    )


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _record(response):
    started = g.pop("metrics_started", None)
    if started is None:
        return response
    endpoint = request.url_rule.endpoint if request.url_rule else "none"
    method = request.method if request.method in METHODS else "other"
    metrics = _request_metrics()
    metrics.requests.labels(endpoint, method, str(response.status_code)).inc()
    metrics.latency.labels(endpoint, method).observe(time.perf_counter() - started)
    return response


class QueueCollector:
    """The outbox and the validation queue as they are in the database now (not per
    process: asked at each scrape by the worker that answers it)."""

    def collect(self):
        from .messages.models import Message, MessageState

        now = time.time()
        states = GaugeMetricFamily("portal_outbox_messages", "Outbox messages by state.",
                                   labels=["state"])
        depth = GaugeMetricFamily("portal_outbox_depth",
                                  "Messages still to send (queued, sending, to retry).")
        oldest = GaugeMetricFamily("portal_outbox_oldest_waiting_seconds",
                                   "Age of the oldest message still to send (0: none).")
        waiting = (MessageState.QUEUED, MessageState.SENDING, MessageState.FAILED)
        counts = dict(db.session.execute(
            select(Message.state, func.count()).group_by(Message.state)).all())
        for state in MessageState:
            states.add_metric([state.value], counts.get(state, 0))
        depth.add_metric([], sum(counts.get(state, 0) for state in waiting))
        first = db.session.scalar(select(func.min(Message.created_at))
                                  .where(Message.state.in_(waiting)))
        oldest.add_metric([], _age(first, now))
        yield from (states, depth, oldest)

        items = GaugeMetricFamily("portal_validation_queue_items",
                                  "Items awaiting a decision (/admin/a-valider/).")
        queue_oldest = GaugeMetricFamily(
            "portal_validation_queue_oldest_seconds",
            "Age of the oldest item awaiting a decision (0: none).")
        found = _validation_items()
        items.add_metric([], len(found))
        queue_oldest.add_metric([], _age(found[0].submitted_at if found else None, now))
        yield from (items, queue_oldest)


def _age(moment, now: float) -> float:
    if moment is None:
        return 0.0
    from .calendar import aware_utc

    return max(now - aware_utc(moment).timestamp(), 0.0)


def _validation_items() -> list:
    """Every quartier's items, oldest first: the queue as the project team sees it."""
    from . import registry
    from .backoffice.models import Role

    whole_city = SimpleNamespace(active=True, role=Role.PROJECT, quartier_ids=set(), id=None)
    return registry.of().validation_items(whole_city)


def metrics():
    if "X-Forwarded-For" in request.headers:
        abort(404)  # through a proxy: from outside the host
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_request_metrics().registry)
    registry.register(QueueCollector())
    try:
        body = generate_latest(registry)
    except SQLAlchemyError:
        db.session.rollback()
        abort(503)
    return Response(body, mimetype=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Call last in create_app: the timer goes first of all before-request hooks (a page
    the cache answers, a form refused at once, are timed and counted too)."""
    _request_metrics()
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_record)
    app.add_url_rule("/metrics", "metrics", metrics)
