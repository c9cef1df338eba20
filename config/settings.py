"""Amanat's settings, read from the environment, failing closed.

AMANAT_ENV chooses the mode: "production" (the default), "development" (only
`make run` sets it) or "test" (set by the test runner). Production refuses to
start without SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS; DEBUG is on only in
development. Each secret may instead be read from a file named by VAR_FILE
(systemd credentials), never both.
"""

import ipaddress
import os
import re
import secrets
import urllib.parse
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.logging_settings import LOGGING as LOGGING_SETTINGS

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

MODE = env.str("AMANAT_ENV", default="production")
if MODE not in {"production", "development", "test"}:
    raise ImproperlyConfigured("AMANAT_ENV must be production, development or test")
PRODUCTION = MODE == "production"
DEVELOPMENT = MODE == "development"
TESTING = MODE == "test"

# Whatever this process creates (the SQLite database and its journal, data/, sealed
# blobs, development secrets) is its owner's only: folders 0700, files 0600.
os.umask(0o077)

DATA_DIR = env.path("AMANAT_DATA_DIR", default=str(BASE_DIR / "data"))


def _private_folder(path: Path) -> Path:
    """Create the folder for its owner only, and tighten one an older version made."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _env_or_file(name: str) -> str:
    """VAR, or the contents of the file that VAR_FILE names (e.g. a systemd credential,
    VAR_FILE=%d/var); "" when neither is set. Both set is refused: which one was meant
    would be a guess. Errors name the variable and the path, never the secret."""
    value = env.str(name, default="")
    path = env.str(f"{name}_FILE", default="")
    if value and path:
        raise ImproperlyConfigured(f"Both {name} and {name}_FILE are set: set only one.")
    if not path:
        return value
    try:
        value = Path(path).read_text().strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise ImproperlyConfigured(f"{name}_FILE: {path} cannot be read ({reason}).") from None
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE: {path} is empty.")
    return value


def _endpoint_ok(url: str) -> bool:
    """An S3 endpoint Amanat may use: https://, or http:// to this machine or a private
    address (as nginx reaches gunicorn on more hosts). Over plain http on the internet
    every attachment's size and time, and the signed requests, would be anyone's on the
    way; a user:password@ in the URL would end up in error messages."""
    parts = urllib.parse.urlsplit(url)
    try:
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not host or "@" in parts.netloc:
        return False
    if parts.scheme == "https" or host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


DEBUG = DEVELOPMENT


def _development_secret(name: str, size: int = 48) -> str:
    """A random secret kept in data/ for this checkout, never a fixed placeholder."""
    path = _private_folder(Path(DATA_DIR)) / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(size))
    return path.read_text().strip()


def _server_secret(name: str, min_length: int) -> str:
    """A server secret from the environment (or NAME_FILE): required in production, made
    up (and kept in data/) in development. Server secrets never derive data keys."""
    value = _env_or_file(name)
    if not value:
        if PRODUCTION:
            raise ImproperlyConfigured(
                f"{name} is not set. Amanat will not start in production without it: "
                f"set it to at least {min_length} random characters."
            )
        value = _development_secret(name.lower()) if DEVELOPMENT else secrets.token_hex(min_length)
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be at least {min_length} random characters.")
    return value


SECRET_KEY = _server_secret("SECRET_KEY", 50)

_database_url = _env_or_file("DATABASE_URL")
if PRODUCTION:
    for _name, _value in (
        ("DATABASE_URL", _database_url),
        ("ALLOWED_HOSTS", env("ALLOWED_HOSTS", default="")),
    ):
        if not _value:
            raise ImproperlyConfigured(f"{_name} is not set; Amanat will not start without it.")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
else:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    if not _database_url:
        _sqlite = _private_folder(Path(DATA_DIR)) / (
            "amanat.sqlite3" if DEVELOPMENT else "test.sqlite3"
        )
        _database_url = f"sqlite:///{_sqlite}"
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = PRODUCTION
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (binary for ciphertext) instead of being
    # escaped into it by the client: less CPU per sealed row written or read.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
# A streaming replica of the primary, when there is one (docs/SCALING.md). Only the pages
# config.db_router names read from it; writes and everything else stay on the primary.
_replica_url = _env_or_file("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = environ.Env.db_url_config(_replica_url)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database.")
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS"):
        DATABASES["replica"][_key] = DATABASES["default"][_key]
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        _options = DATABASES["replica"].setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        # A replica that does not answer is given up quickly: its pages then read the primary.
        _options.setdefault("connect_timeout", 2)
    # Tests never create or migrate a database on a (read-only) standby.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp_webauthn",
    "csp",
    "accounts",
    "intake",
    "cases",
    "disclosure",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.language.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.Staff"
LOGIN_URL = "/staff/login/"
# Staff pages confirm what was done with a one-line notice; it names at most a staff
# login, never report content, and lives in the server-side session, not a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Passwords are checked by unlocking the staff member's key (accounts.login); the
# model backend only restores the user of an authenticated session.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "intake.context_processors.languages",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

LANGUAGE_CODE = "en"
# Machine-assisted translations marked for review by native speakers (docs/TRANSLATIONS.md).
LANGUAGES = [
    ("en", "English"),
    ("ug", "ئۇيغۇرچە"),
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats for languages Django has none for (Kazakh), found before Django's own.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads stay in memory, within fixed limits, until cleaned and sealed: no
# plaintext upload is ever written to a temporary file.
FILE_UPLOAD_HANDLERS = ["intake.uploads.MemoryOnlyUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads are cleaned in sandboxed children (docs/UPLOADS.md): at most CLEANING_SLOTS at once
# across all web workers (below gunicorn's 3 workers, so one always answers; raise both
# together), a wait for a free slot as long as one request may clean (so a reporter queued
# behind another gets their turn, within gunicorn's 60 s), and a budget for all its files.
CLEANING_SLOTS = env.int("AMANAT_CLEANING_SLOTS", default=2)
CLEANING_SECONDS_PER_REQUEST = env.float("AMANAT_CLEANING_SECONDS", default=20.0)
CLEANING_SLOT_WAIT_SECONDS = env.float(
    "AMANAT_CLEANING_SLOT_WAIT", default=CLEANING_SECONDS_PER_REQUEST
)
CLEANING_SLOTS_DIR = env.path(
    "AMANAT_CLEANING_SLOTS_DIR", default=str(Path(DATA_DIR) / "cleaning-slots")
)
if CLEANING_SLOTS < 1 or CLEANING_SECONDS_PER_REQUEST < 1:
    raise ImproperlyConfigured("AMANAT_CLEANING_SLOTS and AMANAT_CLEANING_SECONDS must be >= 1")
# Collected static files, served by WhiteNoise in production; elsewhere from the source.
STATIC_ROOT = (
    env.path("STATIC_ROOT", default=str(Path(DATA_DIR) / "static")) if PRODUCTION else None
)
# Sealed blobs (attachments) live here; nothing in clear is ever written to it.
SEALED_STORAGE_DIR = env.path("SEALED_STORAGE_DIR", default=str(Path(DATA_DIR) / "sealed"))
# ... or in S3-compatible object storage (s3://bucket or s3://bucket/prefix), which every
# web node and worker shares (intake/storage/s3.py, docs/OPERATIONS.md). Credentials
# may come from files (AWS_ACCESS_KEY_ID_FILE); unset, boto3 looks for its own.
SEALED_STORAGE_URL = env.str("SEALED_STORAGE_URL", default="")
SEALED_STORAGE_ENDPOINT = env.str("SEALED_STORAGE_ENDPOINT", default="")
SEALED_STORAGE_REGION = env.str("SEALED_STORAGE_REGION", default="")
# Self-hosted S3 servers want the bucket in the path; AWS itself in the host name.
SEALED_STORAGE_ADDRESSING = env.str(
    "SEALED_STORAGE_ADDRESSING", default="path" if SEALED_STORAGE_ENDPOINT else "virtual"
)
SEALED_STORAGE_ACCESS_KEY_ID = _env_or_file("AWS_ACCESS_KEY_ID")
SEALED_STORAGE_SECRET_ACCESS_KEY = _env_or_file("AWS_SECRET_ACCESS_KEY")
if SEALED_STORAGE_URL and not re.fullmatch(
    r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]*)?", SEALED_STORAGE_URL
):
    raise ImproperlyConfigured(
        "SEALED_STORAGE_URL must be s3://bucket or s3://bucket/prefix (letters, digits, "
        "'.', '-', '_' and '/' only)."
    )
if SEALED_STORAGE_ENDPOINT and not _endpoint_ok(SEALED_STORAGE_ENDPOINT):
    raise ImproperlyConfigured(
        "SEALED_STORAGE_ENDPOINT must be an https:// URL without credentials in it; "
        "http:// only for a server on this machine or a private address."
    )
if SEALED_STORAGE_ADDRESSING not in {"path", "virtual"}:
    raise ImproperlyConfigured("SEALED_STORAGE_ADDRESSING must be path or virtual.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions are short and the cookies are HttpOnly and same-site; in production
# they are sent over HTTPS only.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
# Only staff have sessions. Each expires 30 idle minutes after its last request (the
# 12-hour limit is enforced in accounts.access); expired rows, with the sealed key
# they hold, are deleted by accounts.tasks.clear_expired_sessions.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
# Gone when the browser closes, so the cookie does not linger as a trace of a visit.
CSRF_COOKIE_AGE = None
CSRF_FAILURE_VIEW = "intake.errors.csrf_failure"
SESSION_COOKIE_SECURE = not DEVELOPMENT and not TESTING
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Nothing is sent to other hosts; same-site form posts keep their Origin for CSRF checks.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Consent to browsers' built-in HTTPS-only list: a first visit is never plain HTTP once
    # the organisation submits its domain (hstspreload.org). The header alone adds nothing.
    SECURE_HSTS_PRELOAD = True

# Redis, when configured, backs the cache and the Celery broker.
REDIS_URL = _env_or_file("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "amanat-test" if TESTING else "amanat",
            # A cache that does not answer must not hold a request: limits then count
            # in each process (intake.ratelimit).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_broker = _env_or_file("CELERY_BROKER_URL") or REDIS_URL
# Without a broker (the embedded default) tasks run in-process, inside the request.
CELERY_TASK_ALWAYS_EAGER = not _broker
CELERY_BROKER_URL = _broker or "memory://"
# Tasks carry opaque ids only and their results are not kept.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Redis (redis://) or RabbitMQ (amqp://) may carry the tasks; the cache stays on Redis.
# A broker shared with other applications gets a queue name of Amanat's own.
CELERY_TASK_DEFAULT_QUEUE = env.str("AMANAT_CELERY_QUEUE", default="celery")

OTP_TOTP_ISSUER = "Amanat"

# Passkeys (WebAuthn) are a second factor only: the password step unlocks the staff
# member's key, so a passkey alone must never sign anyone in.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.Helper"
OTP_WEBAUTHN_RP_NAME = env.str("OTP_WEBAUTHN_RP_NAME", default="Amanat")
# A passkey is bound to this host name for good (changing it means registering again), so
# production names it explicitly. Browsers refuse IP addresses: `make run` passkeys work
# on http://localhost:8000, not on 127.0.0.1.
OTP_WEBAUTHN_RP_ID = env.str("OTP_WEBAUTHN_RP_ID", default="" if PRODUCTION else "localhost")
if not OTP_WEBAUTHN_RP_ID:
    raise ImproperlyConfigured(
        "OTP_WEBAUTHN_RP_ID is not set; Amanat will not start without it: set it to the "
        "host name staff sign in on, e.g. amanat.example.org."
    )
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS",
    default=[f"https://{OTP_WEBAUTHN_RP_ID}"] if PRODUCTION else ["http://localhost:8000"],
)
if PRODUCTION:
    for _origin in OTP_WEBAUTHN_ALLOWED_ORIGINS:
        _host = _origin.removeprefix("https://").split(":")[0]
        if not _origin.startswith("https://") or not (
            _host == OTP_WEBAUTHN_RP_ID or _host.endswith(f".{OTP_WEBAUTHN_RP_ID}")
        ):
            raise ImproperlyConfigured(
                f"OTP_WEBAUTHN_ALLOWED_ORIGINS: {_origin!r} must be https:// on "
                f"{OTP_WEBAUTHN_RP_ID} or one of its subdomains."
            )

# A strict Content Security Policy: nothing from another host, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}


# The pepper for receipt lookups: a server secret, never a data key (docs/KEYS.md). Keep it
# with the backups: without it no receipt finds its report.
RECEIPT_PEPPER = _server_secret("RECEIPT_PEPPER", 32).encode()

# Limits on the public side (intake.ratelimit, docs/OPERATIONS.md "Limits"). The secret
# keys the day key that hashes client signals; it is never written beside the counters,
# and is no data key.
RATELIMIT_SECRET = _server_secret("RATELIMIT_SECRET", 32).encode()
if RATELIMIT_SECRET in (SECRET_KEY.encode(), RECEIPT_PEPPER):
    raise ImproperlyConfigured("RATELIMIT_SECRET must be a secret of its own.")
# Only a connection from these addresses may name the client (AMANAT_CLIENT_HEADER).
AMANAT_TRUSTED_PROXIES = env.list("AMANAT_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AMANAT_CLIENT_HEADER = env.str("AMANAT_CLIENT_HEADER", default="X-Amanat-Client")
# Per client (where one can be told apart), and for everyone per minute.
INTAKE_SUBMISSIONS_PER_HOUR = env.int("INTAKE_SUBMISSIONS_PER_HOUR", default=10)
INTAKE_SUBMISSIONS_PER_MINUTE = env.int("INTAKE_SUBMISSIONS_PER_MINUTE", default=30)
INTAKE_WRONG_RECEIPTS_PER_MINUTE = env.int("INTAKE_WRONG_RECEIPTS_PER_MINUTE", default=300)
# Withdrawn reports are shredded after this many days (time to undo a mistake).
INTAKE_WITHDRAWN_GRACE_DAYS = env.int("INTAKE_WITHDRAWN_GRACE_DAYS", default=7)

CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "shred-withdrawn-reports": {
        "task": "intake.tasks.shred_withdrawn_reports",
        "schedule": 24 * 3600.0,
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 600.0,
    },
    "forget-used-form-ids": {
        "task": "intake.tasks.forget_used_form_ids",
        "schedule": 3600.0,
    },
    "append-day-only-audit-entries": {
        "task": "audit.tasks.append_waiting_entries",
        "schedule": 3600.0,
    },
    "verify-audit-chain": {
        "task": "audit.tasks.verify_chain",
        "schedule": 24 * 3600.0,
    },
    "send-notices": {
        "task": "intake.tasks.send_notices",
        "schedule": 10.0,
    },
}

# The demo organisation, with printed credentials, exists only in development.
AMANAT_DEMO = DEVELOPMENT

LOGGING = LOGGING_SETTINGS  # config/logging_settings.py
ADMINS: list[tuple[str, str]] = []
