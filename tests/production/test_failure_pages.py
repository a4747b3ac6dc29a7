"""What a visitor sees when the database is away (a 503 to retry, no trace) and when nginx
refuses a request too large (the portal's own 413 page)."""

from sqlalchemy.exc import OperationalError

from portal.news import views as news_views


def test_database_unavailable_is_a_503_page_to_retry(app, client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(news_views, "render_template", down)
    response = client.get("/actualites/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.get_data(as_text=True)
    assert "Réessayez dans quelques minutes" in body and "Traceback" not in body
    assert "server closed" not in body


def test_nginx_413_page_is_the_portals(client):
    response = client.get("/erreurs/trop-lourd")
    assert response.status_code == 413
    assert "Fichier trop lourd" in response.get_data(as_text=True)


def test_a_connection_cut_after_the_answer_does_not_make_a_500(app, db, monkeypatch):
    """The request's session is closed at teardown; a connection PostgreSQL killed meanwhile
    makes that close fail: the session is dropped, nothing is raised."""
    from portal import _close_session

    def cut():
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(db.session, "remove", cut)
    _close_session()
    assert not db.session.registry.has()
