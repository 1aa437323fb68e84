"""Django settings for her2-board: one file, configured by environment variables."""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.api_operations import TAGS as API_TAGS

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


def envbool(name: str, default: str) -> bool:
    """A yes/no variable; anything but the words below is refused (a typo must not mean no)."""
    value = os.getenv(name, default).strip().lower()
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name}={value!r}: use one of {', '.join(w for w in TRUE_WORDS + FALSE_WORDS if w)}."
        )
    return value in TRUE_WORDS


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: a whole number is needed.") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", "0")

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # A default key would silently sign sessions in production; refuse instead.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. `make run` creates a development-only one in .dev-secret."
    )

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks (rules/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "corsheaders",
    # Our apps; imports run one way: core <- cases <- rules <- board <- config.
    "core",
    "cases",
    "rules",
    "board",
]

MIDDLEWARE = [
    # Before anything reads a body: too large is 413, per path (BODY_LIMITS).
    "core.middleware.BodySizeLimitMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the address, query or cookies is a 400 (PostgreSQL cannot hold one).
    "core.middleware.NulRefusalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the switcher's cookie (set from the user's preference at sign-in), else
    # Accept-Language, else English; every answer carries Content-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.AuditRefusalMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

# The demo's logins (`manage.py demo_load`, run by `make run`); they work only with DEBUG on.
DEMO_USERNAMES = ("demo", "demo-curator2", "demo-educator", "demo-trainee1", "demo-trainee2")

# Django's renderer, with stock select boxes written in Python (core.form_renderer).
FORM_RENDERER = "core.form_renderer.FormRenderer"

AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out credentials before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "core.backends.ModelBackendOneQuery",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site shell (base page, error and sign-in pages, third-party overrides).
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.disclaimer",
            ],
        },
    },
    {
        # The sections every page view renders many times over (the suggestions, the case
        # rows): <app>/jinja2/, autoescape on (docs/performance.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one SQLite file: a transaction that reads and then
    # writes takes the write lock at its start (and waits for it), rather than failing
    # with "database is locked" when another worker got there first.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The interface in English (the default) and Ukrainian. Catalogues live in locale/ and are
# committed compiled (.mo), so a fresh machine needs no gettext; `make messages` rebuilds
# them (README, "Languages").
LANGUAGES = [("en-gb", "English"), ("uk", "Українська")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The knowledge base's clinical text in Ukrainian (rules/translation.py). English stays the
# text of record: payloads, caches and look-ups read it explicitly (rules/translations.py),
# and pages show a Ukrainian text only from a release, with its review status.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_LANGUAGES = ("en-gb", "uk")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en-gb",)
LANGUAGE_COOKIE_NAME = "her2_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need collectstatic, which `make run` (DEBUG) skips.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Bodies and uploads, checked from Content-Length before any is read (BodySizeLimitMiddleware):
# the first prefix that matches sets the limit; everything else takes DEFAULT_BODY_LIMIT.
MIB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MIB
BODY_LIMITS = [("/cds-services", 10 * MIB), ("/cohort/", 20 * MIB), ("/admin/", 5 * MIB)]
# Django's own check, behind ours: the largest limit above.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * MIB
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Uploaded tables are checked (parsed, every cell validated, notes screened for
# identifiers) in a child process with these limits (board.cohort); the table's own bounds
# (rows, columns, cell length, an .xlsx's unpacked size) are in cases.tabular.UPLOAD_LIMITS.
# Keep the time under gunicorn's timeout (a test does). At most UPLOAD_CHECKS_AT_ONCE run
# at once on the whole site, so a few hostile files cannot hold every worker; one more is
# refused at once with "try again".
UPLOAD_PARSE_SECONDS = envint("DJANGO_UPLOAD_PARSE_SECONDS", "20")
UPLOAD_PARSE_MEMORY = envint("DJANGO_UPLOAD_PARSE_MEMORY_MB", "768") * MIB
UPLOAD_CHECKS_AT_ONCE = envint("DJANGO_UPLOAD_CHECKS_AT_ONCE", "2")
# Accepted uploads kept 30 minutes for their dashboard's downloads (board.models.KeptUpload):
# at most this much per user (their oldest make room) and for everyone (past it, nothing
# more is kept until some expire).
UPLOAD_KEPT_PER_USER_BYTES = envint("DJANGO_UPLOAD_KEPT_PER_USER_MB", "40") * MIB
UPLOAD_KEPT_TOTAL_BYTES = envint("DJANGO_UPLOAD_KEPT_TOTAL_MB", "400") * MIB

# CDS Hooks: EHRs calling with a Bearer JWT, keyed by issuer (`iss`), as JSON:
# {"https://ehr.example.org": {"jwks_url": "https://...", "user": "ehr-sandbox"}} or with
# "jwks_file": "/path/jwks.json" for offline use; "fhir_servers": [base URLs] lists the
# FHIR servers the service may fetch a missing prefetch from for that issuer.
# Browser-based EHR sandboxes need their origins in DJANGO_CDS_CORS_ORIGINS
# (comma-separated).
CDS_HOOKS_ISSUERS = json.loads(os.getenv("DJANGO_CDS_HOOKS_ISSUERS", "{}") or "{}")
CORS_ALLOWED_ORIGINS = envlist("DJANGO_CDS_CORS_ORIGINS", "")
CORS_URLS_REGEX = r"^/cds-services.*$"

# Backups (manage.py backup): earlier notes, kept in the cases' history rows, go into a
# backup only if the organisation wants them there; by default a backup holds each case's
# current notes, so a corrected note does not come back from a restore.
BACKUP_NOTES_HISTORY = envbool("DJANGO_BACKUP_NOTES_HISTORY", "0")
BACKUP_HISTORY_NOTES_FIELDS = {"cases.historicalcaseprofile": ["notes"]}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# One cache shared by every worker and every app server, so API throttles count per client,
# not per worker: Redis when REDIS_URL names one (Django's own backend), otherwise a table
# in the database (made by `migrate`), which needs no new server. django-axes keeps its
# lockouts in the database, and the knowledge base's cache key is a fingerprint read from
# the database, so both are shared already.
REDIS_URL = os.getenv("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "her2board_cache",
        }
    )
}
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Sessions are kept in the database; with Redis, read through it (a signed-in page asked the
# database for its session on every request). The database cache would gain nothing.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# How often a worker asks the database whether a knowledge-base release was published (or
# the marker catalogue changed): a new release reaches every worker within this many
# seconds, and the worker that published it at once. 0 asks on every request.
KNOWLEDGE_BASE_RECHECK_SECONDS = float(os.getenv("DJANGO_KB_RECHECK_SECONDS", "1"))

# How long a worker answers an API token, a session's user and a user's permissions from
# memory before reading them again: a deleted token, a deactivated user or a withdrawn
# permission takes effect within this many seconds on every worker, and at once on the
# worker that made the change. 0 reads the database on every request.
# DJANGO_TOKEN_RECHECK_SECONDS is its name before 1.3.0, still read.
AUTH_RECHECK_SECONDS = float(
    os.getenv("DJANGO_AUTH_RECHECK_SECONDS", os.getenv("DJANGO_TOKEN_RECHECK_SECONDS", "1"))
)

# API tokens (django-rest-knox): stored as SHA-512 digests, never in clear. A token dies
# API_TOKEN_IDLE_HOURS after its last use and API_TOKEN_LIFETIME_DAYS after it was issued,
# whichever comes first, and at once when its user's password changes (core.apps).
API_TOKEN_LIFETIME = timedelta(days=float(os.getenv("DJANGO_API_TOKEN_LIFETIME_DAYS", "30")))
API_TOKEN_IDLE_TIMEOUT = timedelta(hours=float(os.getenv("DJANGO_API_TOKEN_IDLE_HOURS", "168")))
# A user keeps at most this many tokens (one per program); issuing another drops the oldest.
API_TOKENS_PER_USER = envint("DJANGO_API_TOKENS_PER_USER", "10")
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_IDLE_TIMEOUT,
    "AUTO_REFRESH": True,  # each use moves the idle expiry on (written once a minute at most)
    "AUTO_REFRESH_MAX_TTL": API_TOKEN_LIFETIME,
    "AUTH_HEADER_PREFIX": "Token",
}

# Proxies in front of the app, for client addresses (throttling, lockouts).
NUM_PROXIES = envint("DJANGO_NUM_PROXIES", "0")

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous API calls answer 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.IsMember"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.SafeJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonThrottle",
        "core.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.getenv("DJANGO_THROTTLE_ANON", "120/min"),
        "user": os.getenv("DJANGO_THROTTLE_USER", "1200/min"),
    },
    # Proxies in front of the app; 0 means X-Forwarded-For is never trusted for throttling.
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "her2-board API",
    "DESCRIPTION": "Research and training use only. Not for clinical decisions. Evaluates "
    "de-identified HER2-positive breast-cancer case profiles against the strategies of "
    "Vynnychenko & Moskalenko (2024), Regulatory Mechanisms in Biosystems 15(2):345-352.",
    "VERSION": "1.3.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReceptorStatusEnum": "cases.choices.ReceptorStatus",
        "TherapyEnum": "cases.choices.Therapy",
        "EvidenceLevelEnum": "rules.choices.EvidenceLevel",
        "OptionKindEnum": ["strategy", "standard", "no_change", "trial"],
        "KindEnum": "rules.choices.RuleKind",
    },
    "TAGS": API_TAGS,
    "CONTACT": {"name": "her2-board curators"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.postprocess",
    ],
}
# Each API operation's id, tag, summary and description (core.schema applies them).
API_OPERATIONS = "config.api_operations.OPERATIONS"
# Each group's permissions (core.roles.roles_sync keeps the groups to it).
ROLES = "config.roles.ROLES"
# What every group holds (config.roles): a signed-in user without it (in no group) gets
# nothing beyond their own account pages (core.permissions.IsMember, and the web views).
MEMBER_PERMISSION = "cases.view_caseprofile"
# The server the schema names when it is generated without a request (`manage.py spectacular`).
API_SERVER_URL = os.getenv("DJANGO_API_SERVER_URL", "http://127.0.0.1:8000")

# Production hardening; `check --deploy` stays silent with DEBUG off.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Secure cookies unless DEBUG; a plain-HTTP load test on loopback turns them off.
_SECURE_COOKIES = envbool("DJANGO_SECURE_COOKIES", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = _SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = _SECURE_COOKIES
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only our own files; the few inline scripts carry
# a per-request nonce. The API docs pages relax styles for Swagger UI/Redoc (config.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Brute force (django-axes): lock a username at one client address after repeated failures;
# the lock holds even for the right password until it cools off or staff reset it.
AXES_FAILURE_LIMIT = envint("DJANGO_AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = float(os.getenv("DJANGO_AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Client address: REMOTE_ADDR unless proxies are declared (as for API throttling).
AXES_IPWARE_PROXY_COUNT = NUM_PROXIES or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # UTC timestamps; CR/LF in any message are escaped so input cannot forge lines.
        "safe": {
            "()": "core.logging.SafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "root": {"handlers": ["console"], "level": os.getenv("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Both reach the console through the root handler (propagation) at these levels.
        "her2board.audit": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
