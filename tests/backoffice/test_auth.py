"""Login, logout, sessions, password reset and rate limits of the back office."""


import pytest

from portal.backoffice import auth
from portal.backoffice.auth import safe_next
from portal.backoffice.models import AuditEntry, Role, User
from portal.transaction import unit_of_work
from tests.backoffice_helpers import PASSWORD, log_in_as, make_user, outbox, token_from

LOGIN = "/admin/connexion"


def login(client, email, password, next_url=None):
    token = token_from(client.get(LOGIN).get_data(as_text=True))
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def test_password_is_hashed_with_argon2id(backoffice, db):
    user = make_user(Role.ADMIN, password=PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_login_with_right_password_opens_the_dashboard(backoffice, client):
    user = make_user(Role.ADMIN, password=PASSWORD, email="chef@ville-roubaix.example")
    response = login(client, "  Chef@Ville-Roubaix.example ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_account_get_the_same_answer(backoffice, client):
    make_user(Role.ADMIN, password=PASSWORD, email="chef@ville-roubaix.example")
    wrong = login(client, "chef@ville-roubaix.example", "not the password")
    unknown = login(client, "personne@ville-roubaix.example", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert 'value="chef@ville-roubaix.example"' in wrong.get_data(as_text=True)


def test_inactive_account_cannot_log_in(backoffice, client):
    make_user(Role.ADMIN, password=PASSWORD, email="parti@ville-roubaix.example", active=False)
    assert login(client, "parti@ville-roubaix.example", PASSWORD).status_code == 422


def test_login_without_csrf_token_is_refused(backoffice, client, nothing_written):
    make_user(Role.ADMIN, password=PASSWORD, email="chef@ville-roubaix.example")
    with nothing_written():  # not even the time of the last login
        response = client.post(LOGIN, data={"email": "chef@ville-roubaix.example",
                                            "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_login_renews_the_session(backoffice, client):
    user = make_user(Role.ADMIN, password=PASSWORD)
    client.get(LOGIN)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before_token = session.get("csrf_token")
    login(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["uid"] == user.id
        assert session.get("csrf_token") != before_token


def test_next_goes_only_to_local_paths(backoffice, client):
    user = make_user(Role.ADMIN, password=PASSWORD)
    response = login(client, user.email, PASSWORD, next_url="/admin/journal")
    assert response.headers["Location"].endswith("/admin/journal")
    client.post("/admin/deconnexion", data={"csrf_token": token_from(
        client.get("/admin/").get_data(as_text=True))})
    response = login(client, user.email, PASSWORD, next_url="https://evil.example/")
    assert response.headers["Location"].endswith("/admin/")


def test_safe_next_refuses_other_sites():
    assert safe_next("/admin/actualites/?statut=draft") == "/admin/actualites/?statut=draft"
    for target in ("https://evil.example", "//evil.example", "/\\evil.example", "javascript:x",
                   "", None, "admin"):
        assert safe_next(target) is None


def test_anonymous_visitor_is_sent_to_login_with_next(backoffice, client):
    response = client.get("/admin/journal")
    assert response.status_code == 302
    assert "/admin/connexion?next=/admin/journal" in response.headers["Location"]


def test_logout_needs_post_with_csrf(backoffice, admin_client, nothing_written):
    with nothing_written():  # the account's session version stays
        assert admin_client.get("/admin/deconnexion").status_code == 405
        assert admin_client.post("/admin/deconnexion").status_code == 400
    assert admin_client.get("/admin/").status_code == 200
    token = token_from(admin_client.get("/admin/").get_data(as_text=True))
    assert admin_client.post("/admin/deconnexion", data={"csrf_token": token}).status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_password_change_ends_other_sessions(backoffice, db, app):
    user = make_user(Role.ADMIN, password=PASSWORD)
    phone, office = app.test_client(), app.test_client()
    log_in_as(phone, user)
    log_in_as(office, user)
    from portal.backoffice.accounts import change_password

    with unit_of_work():
        change_password(user, user, "another long password")
    assert phone.get("/admin/").status_code == 302
    assert office.get("/admin/").status_code == 302


def _log_out(client, user):
    token = token_from(client.get("/admin/").get_data(as_text=True))
    assert client.post("/admin/deconnexion", data={"csrf_token": token}).status_code == 302


def _change_password_by_reset_link(client, user):
    from portal.backoffice.auth import reset_token

    with client.application.test_request_context():
        path = f"/admin/nouveau-mot-de-passe/{reset_token(user)}"
    token = token_from(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"password": "un nouveau mot de passe",
                                   "confirm": "un nouveau mot de passe",
                                   "csrf_token": token}).status_code == 302


def _deactivate_as_admin(client, user):
    from portal.backoffice.accounts import update_user

    admin = make_user(Role.ADMIN)
    with unit_of_work():
        update_user(admin, user, email=user.email, role=user.role, name=user.name,
                    active=False, quartier_ids=())


@pytest.mark.parametrize("end_session", [_log_out, _change_password_by_reset_link,
                                         _deactivate_as_admin],
                         ids=["logout", "password-change", "deactivation"])
def test_session_cookie_copied_before_is_refused_after(backoffice, app, end_session):
    user = make_user(Role.PROJECT, password=PASSWORD)
    browser = app.test_client()
    assert login(browser, user.email, PASSWORD).status_code == 302
    copy = browser.get_cookie("session").value  # taken from a shared computer, a proxy log...
    end_session(browser, user)
    thief = app.test_client()
    thief.set_cookie("session", copy)
    response = thief.get("/admin/")
    assert response.status_code == 302 and "/admin/connexion" in response.headers["Location"]
    # The voided cookie is dropped, not renewed.
    assert thief.get_cookie("session") is None


def test_deactivated_account_is_logged_out(backoffice, db, app):
    user = make_user(Role.PROJECT)
    client = app.test_client()
    log_in_as(client, user)
    assert client.get("/admin/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def login_from(app, address, email, password):
    """A login from another client address (REMOTE_ADDR, or X-Forwarded-For behind ProxyFix)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, email, password)


def test_failures_from_one_address_never_lock_the_owner_out(backoffice, app):
    make_user(Role.ADMIN, password=PASSWORD, email="cible@ville-roubaix.example")
    statuses = [login_from(app, "203.0.113.9", "cible@ville-roubaix.example", f"essai {n}")
                .status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]
    # The guessing address waits, even with the right password (its guess is not evaluated).
    throttled = login_from(app, "203.0.113.9", "cible@ville-roubaix.example", PASSWORD)
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    # The owner, from an address that has not failed, comes in.
    assert login_from(app, "192.0.2.20", "cible@ville-roubaix.example",
                      PASSWORD).status_code == 302
    # And the guessing address may still log in to another account.
    make_user(Role.ADMIN, password=PASSWORD, email="autre@ville-roubaix.example")
    assert login_from(app, "203.0.113.9", "autre@ville-roubaix.example",
                      PASSWORD).status_code == 302


def test_account_ceiling_holds_back_only_addresses_that_failed(backoffice, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per hour")
    email = "cible@ville-roubaix.example"
    make_user(Role.ADMIN, password=PASSWORD, email=email)
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):  # a spread attack
        assert login_from(app, address, email, "devine").status_code == 422
    # Past the ceiling, an address that failed once waits from now on ...
    assert login_from(app, "198.51.100.1", email, PASSWORD).status_code == 429
    # ... a new address is heard once, then waits too ...
    assert login_from(app, "198.51.100.4", email, "devine").status_code == 422
    assert login_from(app, "198.51.100.4", email, "devine").status_code == 429
    # ... and the owner, who has not failed, logs in.
    assert login_from(app, "192.0.2.20", email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count_against_the_limits(backoffice, app):
    make_user(Role.PROJECT, password=PASSWORD, email="projet@ville-roubaix.example")
    statuses = [login(app.test_client(), "projet@ville-roubaix.example", PASSWORD).status_code
                for _ in range(12)]  # a phone and a computer, every morning
    assert statuses == [302] * 12


def test_login_is_rate_limited_per_address(backoffice, app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        statuses = [login(client, f"personne{n}@example.org", "x").status_code for n in range(4)]
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "10 per minute;50 per hour"
    assert statuses == [422, 422, 422, 429]
    assert client.get(LOGIN).status_code == 200  # only POSTs count


def test_password_reset_by_email_link(backoffice, client, db):
    user = make_user(Role.TEAM, password=PASSWORD, email="equipe@ville-roubaix.example")
    token = token_from(client.get("/admin/mot-de-passe-oublie").get_data(as_text=True))
    response = client.post("/admin/mot-de-passe-oublie",
                           data={"email": "equipe@ville-roubaix.example", "csrf_token": token})
    assert response.status_code == 302
    (mail,) = outbox()
    assert mail["To"] == "equipe@ville-roubaix.example"
    link = next(line for line in mail.get_content().splitlines() if "/nouveau-mot-de-passe/" in line)
    path = link[link.index("/admin/"):].strip()
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, data={"password": "un nouveau mot de passe",
                                       "confirm": "un nouveau mot de passe",
                                       "csrf_token": token_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    db.session.refresh(user)
    # The reset logged this browser in; another one logs in with the new password.
    assert login(client.application.test_client(), user.email,
                 "un nouveau mot de passe").status_code == 302
    # The link served once: the password changed, so it no longer works.
    assert client.get(path).status_code == 404
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="password")) is not None


def test_password_reset_for_unknown_address_says_the_same(backoffice, client):
    token = token_from(client.get("/admin/mot-de-passe-oublie").get_data(as_text=True))
    response = client.post("/admin/mot-de-passe-oublie",
                           data={"email": "inconnu@example.org", "csrf_token": token},
                           follow_redirects=True)
    assert "Si un compte existe pour cette adresse" in response.get_data(as_text=True)
    assert outbox() == []


def ask_reset_link(client, email, **kwargs):
    token = token_from(client.get("/admin/mot-de-passe-oublie").get_data(as_text=True))
    return client.post("/admin/mot-de-passe-oublie", data={"email": email, "csrf_token": token},
                       **kwargs)


def test_reset_answers_alike_with_the_same_work_for_unknown_addresses(backoffice, app,
                                                                      monkeypatch):
    make_user(Role.TEAM, email="equipe@ville-roubaix.example")
    tokens = []
    real_reset_token = auth.reset_token
    monkeypatch.setattr(auth, "reset_token",
                        lambda user: tokens.append(user.email) or real_reset_token(user))
    known = ask_reset_link(app.test_client(), "equipe@ville-roubaix.example")
    unknown = ask_reset_link(app.test_client(), "inconnu@ville-roubaix.example")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known.get_data() == unknown.get_data()
    # A token is made (and the mail written) either way; only the known address gets it.
    assert tokens == ["equipe@ville-roubaix.example", "inconnu@ville-roubaix.example"]
    assert [mail["To"] for mail in outbox()] == ["equipe@ville-roubaix.example"]


def test_reset_mail_is_sent_outside_the_request(backoffice, app, client, db, monkeypatch):
    """The request only writes the mail into the outbox; a worker sends it later."""
    import smtplib

    from portal.messages.models import Message, MessageState

    make_user(Role.TEAM, email="equipe@ville-roubaix.example")
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: pytest.fail("SMTP in the request"))
    response = ask_reset_link(client, "equipe@ville-roubaix.example")
    assert response.status_code == 302
    (message,) = db.session.scalars(db.select(Message)).all()
    assert (message.state, message.kind, message.recipient) == (
        MessageState.QUEUED, "password_reset", "equipe@ville-roubaix.example")
    assert message.secret


def test_reset_link_never_follows_a_forged_host(backoffice, app, client, monkeypatch):
    from portal.config import trusted_hosts

    # As in production: SITE_URL set, plus the name the reverse proxy uses inside.
    monkeypatch.setitem(app.config, "SITE_URL", "https://quartiers.roubaix.example")
    monkeypatch.setitem(app.config, "EXTRA_TRUSTED_HOSTS", ["localhost"])
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", trusted_hosts(app.config))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # only the Host is at stake
    make_user(Role.TEAM, email="equipe@ville-roubaix.example")
    forged = client.post("/admin/mot-de-passe-oublie", headers={"Host": "evil.example"},
                         data={"email": "equipe@ville-roubaix.example"})
    assert forged.status_code == 400
    assert outbox() == []
    # Through the proxy's own name, the link still starts with SITE_URL.
    assert client.post("/admin/mot-de-passe-oublie",
                       data={"email": "equipe@ville-roubaix.example"}).status_code == 302
    (mail,) = outbox()
    assert "https://quartiers.roubaix.example/admin/nouveau-mot-de-passe/" in mail.get_content()
    assert "localhost" not in mail.get_content()


def test_reset_form_errors_keep_the_page(backoffice, client, db):
    user = make_user(Role.TEAM, password=PASSWORD)
    from portal.backoffice.auth import reset_token

    with client.application.test_request_context():
        path = f"/admin/nouveau-mot-de-passe/{reset_token(user)}"
    token = token_from(client.get(path).get_data(as_text=True))
    short = client.post(path, data={"password": "court", "confirm": "court", "csrf_token": token})
    assert short.status_code == 422
    assert "Au moins 12 caractères." in short.get_data(as_text=True)
    differ = client.post(path, data={"password": "un mot de passe long", "confirm": "un autre",
                                     "csrf_token": token})
    assert differ.status_code == 422
    assert "Les deux mots de passe sont différents." in differ.get_data(as_text=True)


def test_forged_or_expired_reset_token_is_refused(backoffice, client, app):
    user = make_user(Role.TEAM, password=PASSWORD)
    assert client.get("/admin/nouveau-mot-de-passe/forged.token").status_code == 404
    from portal.backoffice.auth import reset_token

    with app.test_request_context():
        token = reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        assert client.get(f"/admin/nouveau-mot-de-passe/{token}").status_code == 404
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_create_user_command(backoffice, app, db, quartiers):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "Premier@Ville-Roubaix.example",
                                 "--password", "un mot de passe assez long"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="premier@ville-roubaix.example"))
    assert user.role is Role.ADMIN and user.password_hash.startswith("$argon2id$")
    again = runner.invoke(args=["create-user", "premier@ville-roubaix.example",
                                "--password", "un mot de passe assez long"])
    assert again.exit_code == 1
    team = runner.invoke(args=["create-user", "equipe@ville-roubaix.example", "--role", "team",
                               "--quartier", "alma", "--password", "un mot de passe assez long"])
    assert team.exit_code == 0, team.output
    short = runner.invoke(args=["create-user", "x@example.org", "--password", "court"])
    assert short.exit_code == 1


def test_back_office_pages_are_private(backoffice, admin_client):
    response = admin_client.get("/admin/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_too_many_attempts_page_says_what_to_do(backoffice, app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "1 per minute"
    try:
        login(client, "a@example.org", "x")
        response = login(client, "a@example.org", "x")
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "10 per minute;50 per hour"
    assert response.status_code == 429
    assert "Attendez quelques minutes" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_logged_in_visitor_skips_the_login_form(backoffice, admin_client):
    response = admin_client.get(LOGIN + "?next=/admin/journal")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/journal")


def test_reset_links_for_one_account_are_rate_limited(backoffice, app):
    make_user(Role.TEAM, email="equipe@ville-roubaix.example")
    statuses = []
    for _ in range(6):
        client = app.test_client()
        token = token_from(client.get("/admin/mot-de-passe-oublie").get_data(as_text=True))
        statuses.append(client.post("/admin/mot-de-passe-oublie", data={
            "email": "equipe@ville-roubaix.example", "csrf_token": token}).status_code)
    assert statuses == [302] * 5 + [429]
    assert len(outbox()) == 5
