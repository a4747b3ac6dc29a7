"""Strict JSON (RFC 8259), read and written: the one place the portal turns JSON into data
and back.

Python's json module reads `NaN`, `Infinity` and `-Infinity` (and `1e999`, as infinity),
which JSON does not have, and writes them back as bare words that strict parsers refuse: one
NaN in a works area made the whole of /chantiers.geojson unreadable. Everything the portal
reads (back-office fields, content files, imports) goes through `loads`, which refuses them
with a JSONDecodeError that says where; everything it writes (GeoJSON, data·inclusion exports,
`jsonify` and `|tojson` through `StrictJSONProvider`, JSON columns) goes through `dumps`,
with allow_nan=False.
"""

import json
import math
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

# The JSON tokens the scanner may have read as a non-finite number: strings are matched
# first so that a "NaN" inside quotes is skipped, as the scanner skips it.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')


class NotFiniteNumber(json.JSONDecodeError):
    """NaN, Infinity, -Infinity or a number beyond a float, where JSON wants a number."""


class _NotFinite(ValueError):
    def __init__(self, token: str):
        super().__init__(token)
        self.token = token


def _refuse_constant(token: str):
    raise _NotFinite(token)


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):  # 1e999
        raise _NotFinite(token)
    return value


def _position(text: str, token: str) -> int:
    """Where the scanner met `token`: the first time it stands outside a string (the text
    before it was valid JSON, or the scanner would have stopped earlier)."""
    for match in _TOKENS.finditer(text):
        if match.group(1) is not None and match.group(1) == token:
            return match.start(1)
    return 0


def loads(text: str | bytes | bytearray) -> Any:
    """json.loads that refuses NaN, Infinity, -Infinity and numbers too large for a float.

    Raises json.JSONDecodeError (a ValueError) with lineno/colno, whatever is wrong;
    NotFiniteNumber, its subclass, for NaN and Infinity."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotFinite as exc:
        raise NotFiniteNumber(
            f"{exc.token[:40]} is not a finite number (JSON has no NaN or Infinity)",
            text, _position(text, exc.token)) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise json.JSONDecodeError(f"unreadable number ({exc})", text, 0) from None


def load(source) -> Any:
    return loads(source.read())


def dumps(value: Any, **kwargs) -> str:
    """json.dumps that refuses to write NaN or Infinity (ValueError) rather than invalid JSON."""
    kwargs["allow_nan"] = False
    return json.dumps(value, **kwargs)


class StrictJSONProvider(DefaultJSONProvider):
    """app.json: `jsonify`, `request.get_json()` and the `|tojson` filter, strict both ways."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
