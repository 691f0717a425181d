"""Settings read from environment variables, one class per environment.

`REGISTER_ENV` picks the class: `production` (the default, so a deployment that forgets
to say otherwise gets the strict settings), `development` or `testing`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from .addresses import AddressError, check_base_url

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
OGL_V3 = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


MIN_SECRET_KEY_LENGTH = 32
# Values seen in examples and in this project's own development and test settings.
WEAK_SECRET_KEYS = frozenset(
    {"development-only-secret-key", "test-secret-key", "changeme", "secret", "dev"}
)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting platforms hand out.

    SQLAlchemy needs the driver named, and the register ships psycopg 3.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Production settings: everything from the environment, nothing insecure by default."""

    ENV_NAME = "production"
    TESTING = False
    DEBUG = False

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY", "")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'register.db'}"
        )
        # hide_parameters keeps the values of a failed statement (email addresses, password
        # hashes, feedback) out of error messages, and so out of the logs.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
        # PostgreSQL's default random_page_cost assumes spinning disks and makes the planner
        # scan whole tables for broad searches; 1.1 suits SSDs. Empty leaves the server's value.
        self.POSTGRES_RANDOM_PAGE_COST = os.environ.get("POSTGRES_RANDOM_PAGE_COST", "1.1")
        self.REGISTER_NAME = os.environ.get("REGISTER_NAME", "Public Sector AI Register")
        self.REGISTER_LICENCE_NAME = os.environ.get("REGISTER_LICENCE", OGL_V3["name"])
        self.REGISTER_LICENCE_URL = os.environ.get(
            "REGISTER_LICENCE_URL",
            OGL_V3["url"] if OGL_V3["name"] == self.REGISTER_LICENCE_NAME else "",
        )
        self.REGISTER_PHASE = os.environ.get("REGISTER_PHASE", "beta")
        self.REGISTER_PHASE_TEXT = os.environ.get(
            "REGISTER_PHASE_TEXT",
            "This is a new service. Help us improve it by telling us what you think.",
        )
        self.REGISTER_CONTACT_EMAIL = os.environ.get(
            "REGISTER_CONTACT_EMAIL", "register@example.org"
        )
        # The register's public address: every absolute link (emails, feeds, sitemaps, the
        # API, the data package) is built from it, never from the Host a request names, and
        # requests naming another host are refused. Production cannot start without it.
        self.REGISTER_BASE_URL = os.environ.get("REGISTER_BASE_URL", "").strip()
        if self.REGISTER_BASE_URL:
            try:
                self.REGISTER_BASE_URL = check_base_url(self.REGISTER_BASE_URL)
            except AddressError as error:
                raise RuntimeError(str(error)) from None
        # Other host names requests may use (comma-separated), such as the internal name a
        # load balancer's health check calls the register by.
        self.REGISTER_EXTRA_HOSTS = os.environ.get("REGISTER_EXTRA_HOSTS", "")
        self.REGISTER_REFERENCE_PREFIX = os.environ.get("REGISTER_REFERENCE_PREFIX", "AIR")
        # Who publishes the register: the catalogue's publisher for data portals, and the
        # author its open data is cited by (CITATION.cff).
        self.REGISTER_PUBLISHER = os.environ.get("REGISTER_PUBLISHER", "") or self.REGISTER_NAME
        # The language entries are written in (ISO 639-3), as other registers' standards
        # name it: a register whose entries are in Dutch sets "nld".
        self.REGISTER_LANGUAGE = os.environ.get("REGISTER_LANGUAGE", "") or "eng"
        # Where whole-register downloads are kept between changes (rebuilt as needed, so
        # any folder every worker on the machine can write), and where the monthly snapshots
        # are kept (never rebuilt: back this one up).
        self.BUILT_FILES_DIR = os.environ.get("BUILT_FILES_DIR", "") or str(INSTANCE_DIR / "built")
        self.SNAPSHOTS_DIR = os.environ.get("SNAPSHOTS_DIR", "") or str(INSTANCE_DIR / "snapshots")
        # Where templates are kept compiled, so that a new worker's first page does not
        # compile them again ("off" to compile them in each process). Only the register's
        # own user may write there: what is kept is run as code.
        self.TEMPLATE_CACHE_DIR = os.environ.get("TEMPLATE_CACHE_DIR", "") or str(
            INSTANCE_DIR / "compiled-templates"
        )
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "587") or 587)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "no-reply@example.org")
        # GOV.UK Notify instead of SMTP: the API key and the one template's ID (docs/email.md).
        self.NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
        self.NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
        self.NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "")
        self.MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "15") or 15)
        # The outbox: how long a message is retried before it is given up on (with its reason
        # kept for the administrators' email page), and how often `send-email --watch` looks.
        self.MAIL_GIVE_UP_AFTER_HOURS = float(
            os.environ.get("MAIL_GIVE_UP_AFTER_HOURS", "24") or 24
        )
        # Days a failed message keeps its (encrypted) body, so an administrator can retry it.
        self.MAIL_KEEP_FAILED_DAYS = float(os.environ.get("MAIL_KEEP_FAILED_DAYS", "7") or 7)
        # A message a sender has held this long without recording it belonged to a sender that
        # died: it is sent again (the one repeat a killed sender can cause).
        self.MAIL_SENDING_TIMEOUT_SECONDS = float(
            os.environ.get("MAIL_SENDING_TIMEOUT_SECONDS", "600") or 600
        )
        self.MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "10") or 10)
        # Without a mail transport, write each email queued (address and one-time link
        # included) to the log: a convenience for development, never for a register people use.
        self.LOG_UNSENT_EMAIL = False
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024)))
        # What reading one imported file may cost, checked as it streams in, so a hostile file
        # is refused within the time and a few megabytes. Generous for real files: the US 2024
        # inventory has about 60 columns, and its longest cells are a few pages.
        self.IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "1000") or 1000)
        self.IMPORT_MAX_CELL = int(os.environ.get("IMPORT_MAX_CELL", "1048576") or 1_048_576)
        self.IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000") or 100_000)
        # Reading a file for its report happens while the person waits for the page.
        self.IMPORT_MAX_SECONDS = float(os.environ.get("IMPORT_MAX_SECONDS", "1.5") or 1.5)
        # The command line holds no web worker, and operators import whole inventories with it.
        self.IMPORT_COMMAND_MAX_SECONDS = float(
            os.environ.get("IMPORT_COMMAND_MAX_SECONDS", "300") or 300
        )
        # How deep any JSON the register reads (an imported file, a body sent to the API) may
        # nest arrays and objects; a record nests four or five deep.
        self.JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32") or 32)
        # Werkzeug's limits on a form's text (the longest answer is 50,000 characters) and on
        # how many fields it has; anything larger is refused with 413 before a view sees it.
        self.MAX_FORM_MEMORY_SIZE = 500_000
        self.MAX_FORM_PARTS = 1000
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
        # How many proxies in front set X-Forwarded-For/-Proto/-Host (0: trust none of them).
        self.PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)
        # The change log (/api/v1/changes) tells an event only this long after it: a bulk
        # publication stamps its versions before it commits, and a client that had read past
        # that moment meanwhile would never be told of them.
        self.CHANGE_LOG_DELAY_SECONDS = int(
            os.environ.get("CHANGE_LOG_DELAY_SECONDS", "300") or 300
        )
        # Redirect plain HTTP to HTTPS here; usually the proxy in front does that instead.
        self.FORCE_HTTPS = _env_bool("FORCE_HTTPS", False)
        self.WTF_CSRF_TIME_LIMIT = None
        # Over HTTPS, Flask-WTF would also demand a Referer naming this site, which browsers
        # never send here (Referrer-Policy: no-referrer), refusing every form. The token,
        # tied to the session, and the SameSite session cookie protect the forms.
        self.WTF_CSRF_SSL_STRICT = False
        # Signed-in sessions end after this long without a request, and after the absolute
        # limit however active they are.
        # 30 minutes by default, as ASVS 3.3.2 asks for level 2.
        self.PERMANENT_SESSION_LIFETIME = timedelta(
            minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30") or 30)
        )
        self.SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12") or 12)
        # How long before an idle session ends its pages warn the person (with JavaScript, a
        # dialog offering "Stay signed in"; without, every signed-in page says when it ends).
        self.SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120") or 120)
        # Answers sent after the session ended are kept (encrypted) this long, for the person
        # who sent them to find again after signing in; and how much one form may keep.
        self.KEPT_ANSWERS_HOURS = float(os.environ.get("KEPT_ANSWERS_HOURS", "24") or 24)
        self.KEPT_ANSWERS_MAX_CHARACTERS = int(
            os.environ.get("KEPT_ANSWERS_MAX_CHARACTERS", "200000") or 200_000
        )
        # Where rate-limit counters live: memory:// suits one process; use redis:// with
        # several gunicorn workers so they share the counts.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
        # Failed sign-ins slow down the client that makes them, never the person whose
        # address it tries: counted per address and client address together, and per client
        # across every address it tries (password spraying).
        self.SIGN_IN_FAILURE_LIMIT = os.environ.get("SIGN_IN_FAILURE_LIMIT", "5 per 15 minutes")
        self.SIGN_IN_CLIENT_FAILURE_LIMIT = os.environ.get(
            "SIGN_IN_CLIENT_FAILURE_LIMIT", "30 per hour"
        )
        # Public feedback on entries: how much one client address may send, and how much
        # any one entry may receive from everyone together.
        self.FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "5 per minute;30 per day")
        self.FEEDBACK_ENTRY_RATE_LIMIT = os.environ.get("FEEDBACK_ENTRY_RATE_LIMIT", "30 per hour")
        # Asking for email alerts, per client address (each ask sends an email).
        self.ALERTS_RATE_LIMIT = os.environ.get("ALERTS_RATE_LIMIT", "5 per minute;30 per day")
        # Invitations each administrator may send (each one is an email to someone).
        self.INVITATION_RATE_LIMIT = os.environ.get(
            "INVITATION_RATE_LIMIT", "30 per hour;200 per day"
        )
        # Open data, per client address: generous for people and scripts, but a scraper
        # cannot monopolise the database. Whole-register downloads are one request each.
        self.API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
        self.DOWNLOAD_RATE_LIMIT = os.environ.get("DOWNLOAD_RATE_LIMIT", "60 per minute")
        # Requests the submission API accepts from any one API token.
        self.SUBMISSION_API_RATE_LIMIT = os.environ.get(
            "SUBMISSION_API_RATE_LIMIT", "120 per minute"
        )
        # Days a reporter's email address is kept after their report is resolved or hidden.
        self.FEEDBACK_EMAIL_RETENTION_DAYS = int(
            os.environ.get("FEEDBACK_EMAIL_RETENTION_DAYS", "30") or 30
        )
        # werkzeug's method string; scrypt is its current default and a memory-hard hash.
        self.PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
        # Organisations' own sign-in (OpenID Connect): issuers must use https, except that
        # tests may run a provider on this machine's loopback address over plain http.
        self.SIGN_IN_PROVIDERS_ALLOW_LOOPBACK_HTTP = False
        # How long the register waits for a provider (discovery, keys, tokens), in seconds.
        self.SIGN_IN_PROVIDER_TIMEOUT = float(
            os.environ.get("SIGN_IN_PROVIDER_TIMEOUT", "10") or 10
        )

    def check(self) -> None:
        """Refuse to start with settings that would be unsafe in this environment."""
        key = self.SECRET_KEY
        if not key:
            raise RuntimeError(
                "SECRET_KEY must be set (a long random string) unless REGISTER_ENV=development."
            )
        if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 10 or key in WEAK_SECRET_KEYS:
            raise RuntimeError(
                f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters, "
                "for example from: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if not self.REGISTER_BASE_URL:
            raise RuntimeError(
                "REGISTER_BASE_URL must be set to the register's public address, such as "
                "https://ai-register.example.gov: links in emails and open data are built "
                "from it, and requests for any other host are refused."
            )


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "development-only-secret-key"
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
        self.LOG_UNSENT_EMAIL = True
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    def check(self) -> None:
        return None


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        # Fixed so that tests are repeatable.
        self.SECRET_KEY = "test-secret-key"  # noqa: S105  # nosec B105
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        )
        self.SESSION_COOKIE_SECURE = False
        self.CHANGE_LOG_DELAY_SECONDS = 0  # tests read the log at once
        self.MAIL_SERVER = ""
        self.NOTIFY_API_KEY = ""
        self.LOG_UNSENT_EMAIL = True
        # Tests create many people; a cheap hash method keeps them fast (a name, not a secret).
        # Never use this in production.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105
        # The tests' OpenID Connect provider runs on 127.0.0.1 over plain http.
        self.SIGN_IN_PROVIDERS_ALLOW_LOOPBACK_HTTP = True
        # Each test's folders are removed after it; templates are compiled in the process.
        self.TEMPLATE_CACHE_DIR = "off"

    def check(self) -> None:
        return None


CONFIGS: dict[str, type[Config]] = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestConfig,
}


def config_for(name: str | None = None) -> Config:
    """Build the settings object for `name`, or for `REGISTER_ENV`."""
    name = (name or os.environ.get("REGISTER_ENV") or "production").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"REGISTER_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]()
