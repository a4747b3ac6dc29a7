"""What this browser already did on contributions ("Moi aussi", "Signaler un abus"): the ids
in one signed cookie, so the same person counts once as far as the portal can tell without an
account, and without keeping anything about them on the server. A changed cookie is read as
empty (the rate limits per address still hold)."""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "contributions"
SALT = "contributions-remembered"
KEEP = 100  # ids per list, the newest: the cookie stays well under 4 KB
MAX_AGE = 365 * 24 * 3600
SUPPORTED, REPORTED = "s", "r"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _read() -> dict[str, list[int]]:
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 4000:
        return {}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {kind: [i for i in ids if isinstance(i, int)] for kind, ids in data.items()
            if kind in (SUPPORTED, REPORTED) and isinstance(ids, list)}


def done(kind: str, contribution_id: int) -> bool:
    return contribution_id in _read().get(kind, ())


def remember(response, kind: str, contribution_id: int):
    """`response` with the cookie listing `contribution_id` too."""
    data = _read()
    ids = [i for i in data.get(kind, []) if i != contribution_id] + [contribution_id]
    data[kind] = ids[-KEEP:]
    response.set_cookie(COOKIE, _serializer().dumps(data), max_age=MAX_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE",
                                                                      False))
    return response
