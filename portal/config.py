"""Settings read from the environment, with defaults that make `make run` work with nothing set."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from . import strict_json

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


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


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'portal.db'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    # "production" unless told otherwise: a server started without PORTAL_ENV checks that it
    # has what production needs (see check_production). `make` sets PORTAL_ENV=development.
    PORTAL_ENV = os.environ.get("PORTAL_ENV", "production").strip().lower()
    # Required in production; in development, instance/secret_key is used (create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # JSON columns are written and read as strict JSON, like everything else (strict_json.py).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "json_serializer": strict_json.dumps,
                                 "json_deserializer": strict_json.loads}
    CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", ROOT / "content"))
    # The public address (https://host): every absolute link (mails, feeds, sharing tags,
    # robots.txt) starts with it, and its host is the only one served (TRUSTED_HOSTS).
    SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
    # Page views per page and day (portal/reports/pageviews.py): counted in the process and
    # written at most every PAGE_VIEWS_FLUSH_SECONDS, after a response is sent.
    PAGE_VIEWS_ENABLED = _bool("PAGE_VIEWS_ENABLED", True)
    PAGE_VIEWS_FLUSH_SECONDS = int(os.environ.get("PAGE_VIEWS_FLUSH_SECONDS", "30"))
    # Other names this server answers to (a health check's address...), comma-separated.
    EXTRA_TRUSTED_HOSTS = _list("TRUSTED_HOSTS")

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    PREFERRED_URL_SCHEME = "https" if SESSION_COOKIE_SECURE else "http"
    WTF_CSRF_TIME_LIMIT = 4 * 3600  # a resident may take time to write

    # Static URLs carry a content hash (see portal.__init__), so browsers may keep them a year.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/xml", "text/plain", "text/calendar",
        "application/javascript", "text/javascript", "application/json",
        "application/geo+json", "application/atom+xml", "application/xml", "image/svg+xml",
    ]
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 300
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["gzip"]  # static files are streamed; gzip them too

    TILE_URL = os.environ.get("TILE_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
    TILE_ATTRIBUTION = os.environ.get(
        "TILE_ATTRIBUTION",
        '&copy; les contributeurs d’'
        '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>, fond de carte'
        ' <a href="https://www.openstreetmap.fr/">OpenStreetMap France</a>',
    )
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "npnru-habitants@ville-roubaix.example")
    NEWS_PER_PAGE = 10
    HOSTING_NOTICE = os.environ.get(
        "HOSTING_NOTICE",
        "Ville de Roubaix, direction des systèmes d'information, Grand-Place, 59100 Roubaix.",
    )
    MEDIA_DIR = Path(os.environ.get("MEDIA_DIR", ROOT / "instance" / "media"))

    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))  # reverse proxies in front of the app

    # Back office (portal.backoffice): login limits, sessions, password reset, mail, uploads.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins (portal.backoffice.throttle): per client address whatever the account; per
    # account and address, in growing windows; a high ceiling per account, past which only
    # the addresses that have failed for it wait (nobody can lock the owner out).
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "10 per minute;50 per hour")
    LOGIN_LIMIT_PER_ACCOUNT_ADDRESS = os.environ.get(
        "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "5 per 15 minutes;10 per hour;20 per day"
    )
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "50 per hour;200 per day")
    # Reset links asked for one address, so nobody floods a colleague's mailbox.
    RESET_LIMIT_PER_ACCOUNT = os.environ.get("RESET_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_HOURS", "10")) * 3600
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid
    # "smtp" sends; "console" writes mails to the log (development); "memory" keeps them (tests).
    MAIL_BACKEND = os.environ.get(
        "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "console"
    )
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)  # STARTTLS on MAIL_PORT
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")  # TLS from the first byte (port 465)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "ne-pas-repondre@ville-roubaix.example"
    )
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(8 * 1024 * 1024)))
    # The request itself may carry a photo plus the form; bigger requests get 413 at once.
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 1024 * 1024
    # A form without a file (security.py): twice the news form at its limits in Arabic, escaped.
    MAX_FORM_BYTES = int(os.environ.get("MAX_FORM_BYTES", str(2 * 1024 * 1024)))
    # Width x height accepted, checked on the header before any pixel is decoded. The largest
    # photos phones take by default are 24 MP (5712 x 4284); 12 MP (4032 x 3024) is typical;
    # 48-200 MP modes are opt-in and an image is shown at UPLOAD_MAX_SIDE at most. Decoded,
    # an image takes up to 4 bytes a pixel: this bounds one upload's peak near 100 MB.
    UPLOAD_MAX_PIXELS = 25_000_000
    UPLOAD_MAX_SIDE = 1600  # pixels; larger photos are scaled down
