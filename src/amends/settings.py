"""Django settings for Amends.

Every setting a deployment may change is read from an ``AMENDS_*`` environment variable; the
README lists them in one table. Defaults give the embedded set-up: SQLite and a file-backed job
queue under ``var/``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


DATA_DIR = Path(os.environ.get("AMENDS_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    key = os.environ.get("AMENDS_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
# The key that signs the timeline's hash chain. Keep it outside the database: whoever can change
# events and also knows this key can forge a chain. Defaults to one derived from SECRET_KEY.
AUDIT_KEY = os.environ.get("AMENDS_AUDIT_KEY") or f"audit:{SECRET_KEY}"

DEBUG = _env_bool("AMENDS_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("AMENDS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("AMENDS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "django_htmx",
    "amends.core",
    "amends.accounts",
    "amends.customers",
    "amends.cases",
    "amends.sla",
    "amends.resolution",
    "amends.comms",
    "amends.inbox",
    "amends.portal",
    "amends.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "amends.core.web.RefuseNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "amends.core.web.DomainErrorPages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amends.core.web.ContentSecurityPolicy",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Requests under /api/ go through these only (see amends.core.handlers): JSON with a bearer
# token needs no sessions, CSRF, messages, lockouts, htmx, static files or page policy.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "amends.core.web.RefuseNulCharacters",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amends.urls"
WSGI_APPLICATION = "amends.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "amends.sla.context_processors.notifications",
                "amends.inbox.context_processors.flagged_mail",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("AMENDS_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amends.sqlite3'}"
    if url.startswith("sqlite"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "amends.core.sqlite"  # writers of one process take turns in it
        config["OPTIONS"] = {
            # Take the write lock when a transaction starts: no "database is locked" surprises
            # when two writers upgrade read locks at once.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                f" PRAGMA cache_size=-{_env_int('AMENDS_SQLITE_CACHE_MB', 64) * 1024};"
                " PRAGMA temp_store=MEMORY;"
            ),
        }
    else:
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["ENGINE"] = "amends.core.postgresql"  # a health check with no round trip
        config["CONN_HEALTH_CHECKS"] = True
        # Parameters bound by the server, and each statement a connection runs often prepared
        # (psycopg prepares it on its fifth run): planning the case page's joins took ten times
        # longer than running them. Behind a PgBouncer older than 1.21 in transaction mode,
        # set AMENDS_DB_PREPARED_STATEMENTS=false.
        options = config.setdefault("OPTIONS", {})
        options["server_side_binding"] = True
        if _env_bool("AMENDS_DB_PREPARED_STATEMENTS", True):
            options["prepare_threshold"] = 5
    # Keep each thread's connection between requests: opening one costs a connect, the
    # pragmas above and, on SQLite, a cold page cache.
    config["CONN_MAX_AGE"] = _env_int("AMENDS_DB_CONN_MAX_AGE", 60)
    test_name = os.environ.get("AMENDS_TEST_DATABASE_NAME")
    if test_name:
        config["TEST"] = {"NAME": test_name}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("AMENDS_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve static files straight from the apps too, so `collectstatic` is an optimisation only.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("AMENDS_ATTACHMENTS_DIR", DATA_DIR / "attachments"))

# --- Web sign-in and browser security -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lock a username out after this many failed sign-ins in a row, for AMENDS_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = _env_int("AMENDS_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AMENDS_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# How many proxies (load balancers) in front of the web processes append to X-Forwarded-For;
# 0 means clients connect directly. Sign-in lockouts and portal rate limits count per client
# address, so behind a proxy this must be set, or every client shares the proxy's address.
AMENDS_PROXY_COUNT = _env_int("AMENDS_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "amends.core.web.client_ip"
# Idle sessions end after AMENDS_SESSION_HOURS; every request renews the clock.
SESSION_COOKIE_AGE = _env_int("AMENDS_SESSION_HOURS", 9) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("AMENDS_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No inline script and no third-party origin on any page of the workspace. The API's own
# interactive documentation (Swagger UI, shipped by django-ninja) is left out of the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Amends domain settings -------------------------------------------------------------------
# How long after closure a case may be reopened.
AMENDS_REOPEN_WINDOW_DAYS = _env_int("AMENDS_REOPEN_WINDOW_DAYS", 28)
# Attachments: the largest accepted file, and the content types accepted (checked by content).
AMENDS_ATTACHMENT_MAX_BYTES = _env_int("AMENDS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
AMENDS_PAGE_SIZE_MAX = 200
# Clocks: the policy packs whose deadlines every case gets (when the pack covers its kind), the
# UK nation whose bank holidays count, the organisation's own closure days (YYYY-MM-DD, comma
# separated), and the share of the time after which an owner is warned.
AMENDS_POLICY_PACKS = [
    p.strip() for p in os.environ.get("AMENDS_POLICY_PACKS", "iso-10002").split(",") if p.strip()
]
AMENDS_NATION = os.environ.get("AMENDS_NATION", "england")
AMENDS_CLOSURES = [d.strip() for d in os.environ.get("AMENDS_CLOSURES", "").split(",") if d.strip()]
AMENDS_WARN_AT_SHARE = float(os.environ.get("AMENDS_WARN_AT_SHARE", "0.75"))
# Solution options are scored on these factors (name=weight, comma separated); empty: the
# defaults (cost, retention, policy_and_law, feasibility, remedy_match).
AMENDS_SOLUTION_FACTORS = os.environ.get("AMENDS_SOLUTION_FACTORS", "")
# The most each role may offer in redress (pounds) before an approver must agree.
AMENDS_REDRESS_LIMITS = os.environ.get(
    "AMENDS_REDRESS_LIMITS", "agent=100,team_lead=500,complaints_manager=5000,admin=5000"
)
# Follow-up: days after resolution before the satisfaction survey goes out, how long its link
# works, which optional scales it asks (csat, ces, nps), and the CSAT score (1-5) at or below
# which the case reopens. AMENDS_BASE_URL is this site's address, for links in emails.
# The team (slug) that contacts from email, the portal and the intake API land in; empty means
# the first case-handling team by name.
AMENDS_INTAKE_TEAM = os.environ.get("AMENDS_INTAKE_TEAM", "")
# Outbound webhooks: plain-HTTP receivers other than localhost (off: HTTPS only), seconds to wait
# for a receiver's answer, and attempts before a delivery is marked failed.
AMENDS_WEBHOOK_ALLOW_HTTP = _env_bool("AMENDS_WEBHOOK_ALLOW_HTTP", False)
AMENDS_WEBHOOK_TIMEOUT = _env_int("AMENDS_WEBHOOK_TIMEOUT", 10)
AMENDS_WEBHOOK_MAX_ATTEMPTS = _env_int("AMENDS_WEBHOOK_MAX_ATTEMPTS", 8)
AMENDS_FOLLOW_UP_DELAY_DAYS = _env_int("AMENDS_FOLLOW_UP_DELAY_DAYS", 7)
AMENDS_SURVEY_DAYS_VALID = _env_int("AMENDS_SURVEY_DAYS_VALID", 14)
AMENDS_SURVEY_QUESTIONS = os.environ.get("AMENDS_SURVEY_QUESTIONS", "csat,ces,nps")
AMENDS_SURVEY_LOW_SCORE = _env_int("AMENDS_SURVEY_LOW_SCORE", 2)
# How many surveys go out, one after another expires unanswered, before follow-up stops.
AMENDS_SURVEY_ATTEMPTS = _env_int("AMENDS_SURVEY_ATTEMPTS", 2)
AMENDS_BASE_URL = os.environ.get("AMENDS_BASE_URL", "http://127.0.0.1:8000")
# Opening hours, for service levels counted in working hours.
AMENDS_WORKING_HOURS = os.environ.get("AMENDS_WORKING_HOURS", "09:00-17:00")
# The default region for phone numbers written without an international prefix.
AMENDS_PHONE_REGION = os.environ.get("AMENDS_PHONE_REGION", "GB")
# Customer portal: how long an emailed sign-in link works, how long a portal session lasts
# without activity, and how many links one address or one IP address may ask for in an hour.
AMENDS_PORTAL_LINK_MINUTES = _env_int("AMENDS_PORTAL_LINK_MINUTES", 30)
AMENDS_PORTAL_SESSION_MINUTES = _env_int("AMENDS_PORTAL_SESSION_MINUTES", 60)
AMENDS_PORTAL_LINKS_PER_HOUR = _env_int("AMENDS_PORTAL_LINKS_PER_HOUR", 5)
# Problems one client address may raise in the portal in an hour without signing in.
AMENDS_PORTAL_RAISES_PER_HOUR = _env_int("AMENDS_PORTAL_RAISES_PER_HOUR", 10)

# --- Outgoing email (notifications) -----------------------------------------------------------
# Without AMENDS_EMAIL_HOST, mail is written to the log instead of being sent.
EMAIL_HOST = os.environ.get("AMENDS_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = _env_int("AMENDS_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("AMENDS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AMENDS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("AMENDS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("AMENDS_EMAIL_FROM", "amends@localhost")
# The domain of the Message-IDs we send: mail in recognises our own messages (loops) by it.
AMENDS_MAIL_DOMAIN = os.environ.get(
    "AMENDS_MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
)
# Replies and letters: the organisation's name in templates ({organisation.name}), and whether a
# newly logged case is acknowledged automatically (email or a letter to print, per the
# customer's preferences) and moved to acknowledged.
AMENDS_ORGANISATION_NAME = os.environ.get("AMENDS_ORGANISATION_NAME", "Amends")
AMENDS_AUTO_ACKNOWLEDGE = _env_bool("AMENDS_AUTO_ACKNOWLEDGE", True)

# --- Incoming email (mail in) -----------------------------------------------------------------
# The largest email accepted, attachments included; larger ones are refused (the sender's mail
# server bounces them). `amends mail listen` binds here unless told otherwise.
AMENDS_MAIL_MAX_BYTES = _env_int("AMENDS_MAIL_MAX_BYTES", 25 * 1024 * 1024)
AMENDS_SMTP_LISTEN_HOST = os.environ.get("AMENDS_SMTP_LISTEN_HOST", "127.0.0.1")
AMENDS_SMTP_LISTEN_PORT = _env_int("AMENDS_SMTP_LISTEN_PORT", 2525)
# A mailbox to poll every minute instead (or as well): unseen messages are read, then marked
# seen once stored. Without AMENDS_IMAP_HOST nothing is polled.
AMENDS_IMAP_HOST = os.environ.get("AMENDS_IMAP_HOST", "")
AMENDS_IMAP_TLS = _env_bool("AMENDS_IMAP_TLS", True)
AMENDS_IMAP_PORT = _env_int("AMENDS_IMAP_PORT", 993 if AMENDS_IMAP_TLS else 143)
AMENDS_IMAP_USER = os.environ.get("AMENDS_IMAP_USER", "")
AMENDS_IMAP_PASSWORD = os.environ.get("AMENDS_IMAP_PASSWORD", "")
AMENDS_IMAP_FOLDER = os.environ.get("AMENDS_IMAP_FOLDER", "INBOX")
# Where filed messages are moved (created when missing); empty leaves them, marked seen.
AMENDS_IMAP_PROCESSED_FOLDER = os.environ.get("AMENDS_IMAP_PROCESSED_FOLDER", "")

# --- Background jobs (Huey) and the shared cache ----------------------------------------------
REDIS_URL = os.environ.get("AMENDS_REDIS_URL", "")
# Rate limits (portal links) and cached tokens must be shared by every web process: with Redis
# configured the cache lives there; without it each process has its own (fine for one process).
CACHE_URL = os.environ.get("AMENDS_CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("AMENDS_QUEUE_NAME", "amends") + "-cache",
        }
    }
_huey_immediate = _env_bool("AMENDS_HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY: dict[str, Any] = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": os.environ.get("AMENDS_QUEUE_NAME", "amends"),
        "url": REDIS_URL,
        "immediate": _huey_immediate,
    }
else:
    HUEY = {
        "huey_class": "amends.core.queue.SqliteHuey",
        "name": os.environ.get("AMENDS_QUEUE_NAME", "amends"),
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": _huey_immediate,
    }
HUEY["consumer"] = {"workers": _env_int("AMENDS_WORKER_THREADS", 2), "worker_type": "thread"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AMENDS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
