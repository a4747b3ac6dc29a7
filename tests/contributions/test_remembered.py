"""The browser's signed cookie of what it supported or reported: read back when signed,
empty when changed, kept small."""

from flask import Response

from portal.contributions import remembered


def _with_cookie(app, value: str | None):
    headers = {"Cookie": f"{remembered.COOKIE}={value}"} if value is not None else {}
    return app.test_request_context("/", headers=headers)


def _cookie_of(response: Response) -> str:
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    return header.split(";", 1)[0].split("=", 1)[1]


def test_what_was_remembered_is_read_back(app):
    with _with_cookie(app, None):
        value = _cookie_of(remembered.remember(Response(), remembered.SUPPORTED, 7))
    with _with_cookie(app, value):
        assert remembered.done(remembered.SUPPORTED, 7)
        assert not remembered.done(remembered.REPORTED, 7)
        assert not remembered.done(remembered.SUPPORTED, 8)


def test_a_changed_or_foreign_cookie_is_read_as_empty(app):
    with _with_cookie(app, None):
        value = _cookie_of(remembered.remember(Response(), remembered.SUPPORTED, 7))
    for changed in (value[:-2] + "xx", "[7]", "x" * 5000, '{"s": [7]}'):
        with _with_cookie(app, changed):
            assert not remembered.done(remembered.SUPPORTED, 7)


def test_the_cookie_keeps_the_newest_ids_only(app):
    value = None
    for n in range(remembered.KEEP + 20):
        with _with_cookie(app, value):
            value = _cookie_of(remembered.remember(Response(), remembered.SUPPORTED,
                                                   100_000 + n))
    assert len(value) < 4000
    with _with_cookie(app, value):
        assert remembered.done(remembered.SUPPORTED, 100_000 + remembered.KEEP + 19)
        assert not remembered.done(remembered.SUPPORTED, 100_000)
