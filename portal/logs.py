"""The app's logs: one JSON object a line in production (LOG_FORMAT=json, the default when
PORTAL_ENV is not development), Flask's plain lines otherwise; every record written during a
request carries its request id.

The id is the X-Request-Id header nginx sets to its `$request_id` (deploy/nginx/portal.conf),
so one id joins nginx's log, gunicorn's access line (deploy/gunicorn.conf.py) and the app's
records of that request, a trace included; a request without one (no proxy) gets a new id.
The answer carries it back in X-Request-Id.
"""

import json
import logging
import re
import sys
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-Id"
# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything else is replaced.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
LOGGER = "portal"  # the app's logger (Flask names it after the package) and its children


def request_id() -> str | None:
    """The current request's id, None outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get(HEADER, "")
        g.request_id = given if VALID_ID.match(given) else uuid.uuid4().hex
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) to every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if has_request_context():
            entry["method"], entry["path"] = request.method, request.path
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _install_json_handler() -> None:
    """Once per process: the portal logger writes JSON lines on stderr (gunicorn's and
    systemd's journal), without Flask's default plain handler."""
    from flask.logging import default_handler

    logger = logging.getLogger(LOGGER)
    if any(getattr(handler, "portal_json", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.portal_json = True
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.removeHandler(default_handler)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def _answer_with_id(response):
    response.headers[HEADER] = request_id()
    return response


def init_app(app: Flask) -> None:
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
        logger.addFilter(RequestIdFilter())
    from .config import is_production

    chosen = app.config.get("LOG_FORMAT") or ("json" if is_production(app.config) else "text")
    if chosen == "json":
        _install_json_handler()
    app.after_request(_answer_with_id)
