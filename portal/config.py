"""The portal's settings, every one of them: what the environment may set, with defaults that
make `make run` work with nothing set, and the checks production needs.

`settings(overrides, environ)` is read when `create_app` runs, never at import: importing this
module reads no environment and writes nothing, so two apps built in one process (tests, a
command beside a server) each get the settings of the environment they were built with. The
`config` dict given to `create_app` (tests) overrides what the environment says.
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import strict_json
from .languages import DEFAULT_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent

# Settings the environment does not change.
FIXED = {
    # JSON columns are written and read as strict JSON, like everything else (strict_json.py).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "json_serializer": strict_json.dumps,
                                  "json_deserializer": strict_json.loads},
    "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
    "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
    "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": 4 * 3600,  # a resident may take time to write
    # Static URLs carry a content hash (see portal.__init__), so browsers may keep them a year.
    "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
    "COMPRESS_MIMETYPES": [
        "text/html", "text/css", "text/xml", "text/plain", "text/calendar",
        "application/javascript", "text/javascript", "application/json",
        "application/geo+json", "application/atom+xml", "application/xml", "image/svg+xml",
    ],
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 300,
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["gzip"],  # static files are streamed; gzip them too
    "NEWS_PER_PAGE": 10,
    "RATELIMIT_HEADERS_ENABLED": True,
    # Redis down: limits go on in each process's memory, and no request fails for it.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "PASSWORD_RESET_MAX_AGE": 3600,  # seconds a reset link stays valid
    # Width x height accepted, checked on the header before any pixel is decoded. The largest
    # photos phones take by default are 24 MP (5712 x 4284); 12 MP (4032 x 3024) is typical;
    # 48-200 MP modes are opt-in and an image is shown at UPLOAD_MAX_SIDE at most. Decoded,
    # an image takes up to 4 bytes a pixel: this bounds one upload's peak near 100 MB.
    "UPLOAD_MAX_PIXELS": 25_000_000,
    "UPLOAD_MAX_SIDE": 1600,  # pixels; larger photos are scaled down
}

DEFAULT_TILE_ATTRIBUTION = (
    '&copy; les contributeurs d’'
    '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>, fond de carte'
    ' <a href="https://www.openstreetmap.fr/">OpenStreetMap France</a>'
)


def settings_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting, from `environ` (the process's environment by default) or its default."""
    env = os.environ if environ is None else environ

    def text(name: str, default: str = "") -> str:
        return env.get(name, default)

    def number(name: str, default: int) -> int:
        return int(env.get(name, str(default)))

    def flag(name: str, default: bool = False) -> bool:
        return env.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}

    def items(name: str) -> list[str]:
        return [item.strip() for item in env.get(name, "").split(",") if item.strip()]

    secure = flag("SESSION_COOKIE_SECURE")
    upload_max_bytes = number("UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
    return {
        **FIXED,
        # "production" unless told otherwise: a server started without PORTAL_ENV checks that
        # it has what production needs (check_production). `make` sets PORTAL_ENV=development.
        "PORTAL_ENV": text("PORTAL_ENV", "production").strip().lower(),
        # Required in production; in development, instance/secret_key (local_secret_key).
        "SECRET_KEY": text("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(
            text("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'portal.db'}")),
        "CONTENT_DIR": Path(text("CONTENT_DIR", str(ROOT / "content"))),
        "MEDIA_DIR": Path(text("MEDIA_DIR", str(ROOT / "instance" / "media"))),
        # The public address (https://host): every absolute link (mails, feeds, sharing tags,
        # robots.txt) starts with it, and its host is the only one served (TRUSTED_HOSTS).
        "SITE_URL": text("SITE_URL").rstrip("/"),
        # Other names this server answers to (a health check's address...), comma-separated.
        "EXTRA_TRUSTED_HOSTS": items("TRUSTED_HOSTS"),
        "PROXY_COUNT": number("PROXY_COUNT", 0),  # reverse proxies in front of the app
        # "json": one JSON object a line with the request id (portal/logs.py), "text": Flask's
        # lines; unset, json in production and text in development.
        "LOG_FORMAT": text("LOG_FORMAT").strip().lower(),
        "SESSION_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        # Anonymous pages kept in memory (portal/page_cache.py); 0 turns the cache off.
        "PAGE_CACHE_SECONDS": number("PAGE_CACHE_SECONDS", 30),
        "TILE_URL": text("TILE_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": text("TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        # SQLite only: how long a write waits for another's lock before "database is locked"
        # (a burst of answers queues instead of failing; extensions.sqlite_waits_when_busy).
        "SQLITE_BUSY_TIMEOUT_MS": number("SQLITE_BUSY_TIMEOUT_MS", 30000),
        "CONTACT_EMAIL": text("CONTACT_EMAIL", "npnru-habitants@ville-roubaix.example"),
        # Page views per page and day (portal/reports/pageviews.py): counted in the process and
        # written at most every PAGE_VIEWS_FLUSH_SECONDS, after a response is sent.
        "PAGE_VIEWS_ENABLED": flag("PAGE_VIEWS_ENABLED", True),
        "PAGE_VIEWS_FLUSH_SECONDS": number("PAGE_VIEWS_FLUSH_SECONDS", 30),
        # The bilans' most read pages, kept in memory keyed by the period's per-day counts
        # (portal/reports/information.py): a new count changes the key. False turns it off.
        "REPORTS_PAGE_VIEWS_CACHE": flag("REPORTS_PAGE_VIEWS_CACHE", True),
        # Concertations: answers allowed per address, and how long the abuse-check data (a
        # keyed hash of the address) is kept after a campaign closes (`flask consultations-purge`).
        "CONSULTATION_LIMIT_PER_ADDRESS": text("CONSULTATION_LIMIT_PER_ADDRESS", "20 per hour"),
        "CONSULTATION_PERSONAL_DATA_DAYS": number("CONSULTATION_PERSONAL_DATA_DAYS", 90),
        "HOSTING_NOTICE": text(
            "HOSTING_NOTICE",
            "Ville de Roubaix, direction des systèmes d'information, Grand-Place, 59100 Roubaix.",
        ),
        # Redis shared by every app server (production with several): the page cache and its
        # invalidation, and the rate limits unless RATELIMIT_STORAGE_URI says otherwise. Unset,
        # each process keeps its own in memory (`make run`). Keys start with REDIS_KEY_PREFIX,
        # so several portals (or tests) can share one Redis.
        "REDIS_URL": text("REDIS_URL"),
        "REDIS_KEY_PREFIX": text("REDIS_KEY_PREFIX", "portal:"),
        # Back office (portal.backoffice): login limits, sessions, password reset, mail, uploads.
        "RATELIMIT_STORAGE_URI": text("RATELIMIT_STORAGE_URI", text("REDIS_URL") or "memory://"),
        "RATELIMIT_KEY_PREFIX": text("REDIS_KEY_PREFIX", "portal:") + "limits",
        # Failed logins (portal.backoffice.throttle): per client address whatever the account;
        # per account and address, in growing windows; a high ceiling per account, past which
        # only the addresses that have failed for it wait (nobody can lock the owner out).
        "LOGIN_LIMIT_PER_ADDRESS": text("LOGIN_LIMIT_PER_ADDRESS", "10 per minute;50 per hour"),
        "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": text(
            "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "5 per 15 minutes;10 per hour;20 per day"),
        "LOGIN_LIMIT_PER_ACCOUNT": text("LOGIN_LIMIT_PER_ACCOUNT", "50 per hour;200 per day"),
        # Reset links asked for one address, so nobody floods a colleague's mailbox.
        "RESET_LIMIT_PER_ACCOUNT": text("RESET_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "PERMANENT_SESSION_LIFETIME": number("SESSION_LIFETIME_HOURS", 10) * 3600,
        # "smtp" sends; "console" writes mails to the log (development); "memory" keeps them.
        "MAIL_BACKEND": text("MAIL_BACKEND", "smtp" if env.get("MAIL_SERVER") else "console"),
        "MAIL_SERVER": text("MAIL_SERVER", "localhost"),
        "MAIL_PORT": number("MAIL_PORT", 587),
        "MAIL_USERNAME": text("MAIL_USERNAME"),
        "MAIL_PASSWORD": text("MAIL_PASSWORD"),
        "MAIL_USE_TLS": flag("MAIL_USE_TLS", True),  # STARTTLS on MAIL_PORT
        "MAIL_USE_SSL": flag("MAIL_USE_SSL"),  # TLS from the first byte (port 465)
        "MAIL_DEFAULT_SENDER": text("MAIL_DEFAULT_SENDER", "ne-pas-repondre@ville-roubaix.example"),
        "MAIL_TIMEOUT": number("MAIL_TIMEOUT", 20),  # seconds, per SMTP operation
        # SMS: "brevo" (Brevo's transactional SMS API), "console" (development), "memory" (tests).
        "SMS_BACKEND": text("SMS_BACKEND", "brevo" if text("SMS_API_KEY") else "console"),
        "SMS_API_URL": text("SMS_API_URL", "https://api.brevo.com/v3/transactionalSMS/sms"),
        "SMS_API_KEY": text("SMS_API_KEY"),
        "SMS_SENDER": text("SMS_SENDER", "Roubaix"),  # 11 letters at most
        "SMS_TIMEOUT": number("SMS_TIMEOUT", 15),
        "SMS_MAX_SEGMENTS": number("SMS_MAX_SEGMENTS", 2),  # billed parts of one SMS
        # Replies and STOP from the provider's webhook (/abonnements/sms/entrant), sent by it
        # as "Authorization: Bearer <secret>" or in the URL (https://x:<secret>@...). Empty:
        # the webhook refuses everything.
        "SMS_INBOUND_SECRET": text("SMS_INBOUND_SECRET"),
        # The outbox's workers (portal/messages/worker.py).
        "MESSAGES_BATCH": number("MESSAGES_BATCH", 50),
        "MESSAGES_LEASE_SECONDS": number("MESSAGES_LEASE_SECONDS", 300),
        "MESSAGES_MAX_ATTEMPTS": number("MESSAGES_MAX_ATTEMPTS", 8),
        "MESSAGES_RETRY_BASE_SECONDS": number("MESSAGES_RETRY_BASE_SECONDS", 60),
        "MESSAGES_RETRY_MAX_SECONDS": number("MESSAGES_RETRY_MAX_SECONDS", 6 * 3600),
        # Retention of personal data (days): sent messages, dead ones, unconfirmed subscriptions.
        "MESSAGES_KEEP_SENT_DAYS": number("MESSAGES_KEEP_SENT_DAYS", 30),
        "MESSAGES_KEEP_DEAD_DAYS": number("MESSAGES_KEEP_DEAD_DAYS", 90),
        "SUBSCRIPTION_CONFIRM_HOURS": number("SUBSCRIPTION_CONFIRM_HOURS", 48),
        "SUBSCRIPTION_UNCONFIRMED_DAYS": number("SUBSCRIPTION_UNCONFIRMED_DAYS", 7),
        "SUBSCRIPTION_CONFIRMATIONS_PER_DAY": 3,  # per address or number, whoever asks
        "SUBSCRIBE_LIMIT_PER_ADDRESS": text("SUBSCRIBE_LIMIT_PER_ADDRESS", "5 per hour;20 per day"),
        # Codes typed on /abonnements/code/...: each subscription also stops after 5 wrong ones.
        "SUBSCRIBE_CODE_LIMIT": text("SUBSCRIBE_CODE_LIMIT", "20 per hour"),
        # Contributions sent from one address (a household shares one; so does a Maison Mobile).
        "CONTRIBUTION_RATE_LIMIT": text("CONTRIBUTION_RATE_LIMIT", "10 per hour;30 per day"),
        # "Moi aussi" and "Signaler un abus" from one address, whatever the contribution, and
        # for one contribution (a household shares an address; one person must not hide a
        # contribution alone): the browser's signed cookie stops the same person first.
        "CONTRIBUTION_SUPPORT_LIMIT": text("CONTRIBUTION_SUPPORT_LIMIT", "20 per hour;100 per day"),
        "CONTRIBUTION_SUPPORT_PER_ITEM": text("CONTRIBUTION_SUPPORT_PER_ITEM", "3 per day"),
        "CONTRIBUTION_ABUSE_RATE_LIMIT": text("CONTRIBUTION_ABUSE_RATE_LIMIT",
                                              "10 per hour;30 per day"),
        "CONTRIBUTION_ABUSE_PER_ITEM": text("CONTRIBUTION_ABUSE_PER_ITEM", "1 per day"),
        # Abuse reports since the last decision that take a contribution off the site until a
        # moderator looks again (back in the validation queue).
        "CONTRIBUTION_ABUSE_LIMIT": number("CONTRIBUTION_ABUSE_LIMIT", 3),
        "UPLOAD_MAX_BYTES": upload_max_bytes,
        # The request itself may carry a photo plus the form; bigger requests get 413 at once.
        "MAX_CONTENT_LENGTH": upload_max_bytes + 1024 * 1024,
        # A form without a file (security.py): twice the news form at its limits in Arabic, escaped.
        "MAX_FORM_BYTES": number("MAX_FORM_BYTES", 2 * 1024 * 1024),
    }


def settings(overrides: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What create_app starts from: the environment's settings, then `overrides` (tests)."""
    values = settings_from_environment(environ)
    values.update(overrides or {})
    if values.get("TESTING") and "PAGE_CACHE_SECONDS" not in (overrides or {}):
        values["PAGE_CACHE_SECONDS"] = 0  # a test sees each request's own answer, unless it asks
    if values.get("TESTING") and "REPORTS_PAGE_VIEWS_CACHE" not in (overrides or {}):
        values["REPORTS_PAGE_VIEWS_CACHE"] = False  # tests roll back: counts may come back equal
    return values


def database_url(url: str) -> str:
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def local_secret_key() -> str:
    """Without SECRET_KEY (development only), a key kept in instance/secret_key: every process
    of this machine shares it, so sessions survive restarts of `make run`."""
    path = ROOT / "instance" / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(key)
        except FileExistsError:  # another worker wrote it first: use theirs
            return path.read_text().strip()
        return key


class ProductionSettingsError(RuntimeError):
    """The app was started for production without a setting it cannot do without."""


def is_production(config) -> bool:
    return (config.get("PORTAL_ENV") != "development"
            and not config.get("DEBUG") and not config.get("TESTING"))


def check_production(config) -> None:
    """Refuse to serve without a secret key or a public address: links in mails and feeds
    would otherwise be built from the Host header a visitor sends."""
    missing = []
    if not config.get("SECRET_KEY"):
        missing.append("SECRET_KEY (a long random string, the same on every server: "
                       "python3 -c 'import secrets; print(secrets.token_hex(32))')")
    site = urlsplit(config.get("SITE_URL") or "")
    if site.scheme not in ("http", "https") or not site.hostname:
        missing.append("SITE_URL (the public address, e.g. https://monquartier.roubaix.fr)")
    if missing:
        raise ProductionSettingsError(
            "The portal runs in production mode (PORTAL_ENV is not 'development') and needs: "
            + "; ".join(missing)
            + ". See README.md, Production. On a development machine, use `make run` or set "
            "PORTAL_ENV=development."
        )


def trusted_hosts(config) -> list[str] | None:
    """SITE_URL's host and those of TRUSTED_HOSTS: a request for any other Host gets 400.
    None (any host) when neither is set, which production does not allow."""
    if config.get("TRUSTED_HOSTS") is not None:  # given to create_app as Flask's own list
        return config["TRUSTED_HOSTS"]
    site_host = urlsplit(config.get("SITE_URL") or "").hostname
    hosts = [site_host] if site_host else []
    return hosts + list(config.get("EXTRA_TRUSTED_HOSTS") or []) or None


