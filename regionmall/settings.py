"""RegionMall settings: 12-factor, safe by default, runnable with no service at all.

Everything that differs between a laptop and production comes from the environment:

- ``DATABASE_URL``           SQLite file under ``var/`` when unset; postgres:// and mysql:// work.
- ``DATABASE_REPLICA_URLS``  comma-separated read replicas; reads go there, writes to the primary.
- ``REDIS_URL``              cache, sessions and counters in Redis; file cache when unset.
- ``BROKER_URL``             Celery on RabbitMQ; unset = background work in-process after commit.
- ``SECRET_KEY``             generated into ``var/secret_key`` on first run when unset.
- ``ALLOWED_HOSTS``          comma-separated; defaults to loopback only.
- ``REGIONMALL_DEBUG=1``     turns DEBUG on (off by default).
- ``REGIONMALL_HTTPS=1``     secure cookies, HSTS and the proxy TLS header (set behind TLS).
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REGIONMALL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Read SECRET_KEY from the environment, else from var/, creating it once."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two workers starting together cannot write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("REGIONMALL_DEBUG")
HTTPS = _env_bool("REGIONMALL_HTTPS")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
REQUIRE_SERVICES = _env_bool("REGIONMALL_REQUIRE_SERVICES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from local static files (offline deployments: no CDN)
    "django_fsm",
    "axes",
    "regionmall.core",
    "regionmall.regions",
    "regionmall.accounts",
    "regionmall.merchants",
    "regionmall.catalog",
    "regionmall.inventory",
    "regionmall.trade",
    "regionmall.payments",
    "regionmall.marketing",
    "regionmall.flashsale",
    "regionmall.web",
    "regionmall.demo",
]

MIDDLEWARE = [
    "regionmall.core.middleware.RequestIdMiddleware",
    "regionmall.core.ratelimit.RateLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regionmall.core.i18n.AcceptLanguageAliasMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regionmall.urls"
WSGI_APPLICATION = "regionmall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regionmall.web.context.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

SQLITE_PATH = VAR_DIR / "regionmall.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"


def _database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of deadlocking on a lock upgrade.
        config["CONN_MAX_AGE"] = 0
        # Tests use a file too (not :memory:), so concurrency tests get real SQLite locking;
        # one per test process, so parallel runs never share (and corrupt) one file.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test_regionmall_{os.getpid()}.sqlite3")}
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.mysql":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update({"charset": "utf8mb4", "isolation_level": "read committed"})
    return config


DATABASES = {"default": _database(DATABASE_URL)}
for _index, _url in enumerate(_env_list("DATABASE_REPLICA_URLS")):
    DATABASES[f"replica_{_index}"] = _database(_url) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["regionmall.core.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    import pymysql

    pymysql.install_as_MySQLdb()

# --- Cache, sessions ------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rm",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A file cache is shared by all server workers on one machine (locmem would not be).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work ------------------------------------------------------------------------

BROKER_URL = os.environ.get("BROKER_URL", "")
CELERY_BROKER_URL = BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "regionmall.core.tasks.relay_outbox", "schedule": 30.0},
    "trade-cancel-expired": {"task": "regionmall.trade.tasks.cancel_expired_orders",
                             "schedule": 60.0},
    "trade-auto-complete": {"task": "regionmall.trade.tasks.auto_complete_orders",
                            "schedule": 3600.0},
    "trade-expire-quotes": {"task": "regionmall.trade.tasks.expire_quotes", "schedule": 300.0},
    "trade-purge-carts": {"task": "regionmall.trade.tasks.purge_carts", "schedule": 86400.0},
    "payments-sync-pending": {"task": "regionmall.payments.tasks.sync_pending_payments",
                              "schedule": 60.0},
    "payments-retry-refunds": {"task": "regionmall.payments.tasks.retry_pending_refunds",
                               "schedule": 300.0},
    "payments-run-due-splits": {"task": "regionmall.payments.tasks.run_due_splits",
                                "schedule": 600.0},
    "payments-sync-splits": {"task": "regionmall.payments.tasks.sync_requested_splits",
                             "schedule": 600.0},
    "marketing-score-members": {"task": "regionmall.marketing.tasks.score_members",
                                "schedule": 21600.0},
    "marketing-compute-rebates": {"task": "regionmall.marketing.tasks.compute_rebates",
                                  "schedule": 3600.0},
    "marketing-expire-groups": {"task": "regionmall.marketing.tasks.expire_groups",
                                "schedule": 60.0},
    "marketing-expire-coupons": {"task": "regionmall.marketing.tasks.expire_coupons",
                                 "schedule": 3600.0},
    "flashsale-preheat": {"task": "regionmall.flashsale.tasks.preheat_due", "schedule": 15.0},
    "flashsale-finish": {"task": "regionmall.flashsale.tasks.finish_due", "schedule": 60.0},
}
# Embedded default: the same periodic jobs run on an in-process scheduler thread in served
# processes (regionmall.core.scheduler); off when BROKER_URL is set (Celery beat runs them).
REGIONMALL_SCHEDULER = _env_bool("REGIONMALL_SCHEDULER", True)

# --- Auth -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "regionmall.accounts.backends.MobileOrUsernameBackend",
    "regionmall.accounts.backends.SmsCodeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# Lockout after repeated failures (django-axes): keyed by the normalised login name, so
# "+86 138..." and "138..." count together; every attempt is logged in the database.
AXES_FAILURE_LIMIT = int(os.environ.get("REGIONMALL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("REGIONMALL_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "regionmall.accounts.lockout.login_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "regionmall.accounts.lockout.locked_out_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Trusted reverse proxies in front of the app (nginx: 1): client addresses are read from
# X-Forwarded-For accordingly (rate limits, login lock-outs; core/clientip.py).
REGIONMALL_PROXY_COUNT = int(os.environ.get("REGIONMALL_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = REGIONMALL_PROXY_COUNT

JWT_ACCESS_TTL = timedelta(minutes=int(os.environ.get("REGIONMALL_JWT_ACCESS_MINUTES", "15")))
JWT_REFRESH_TTL = timedelta(days=int(os.environ.get("REGIONMALL_JWT_REFRESH_DAYS", "14")))

SMS_BACKEND = os.environ.get("REGIONMALL_SMS_BACKEND", "regionmall.accounts.sms.ConsoleSmsBackend")
SMS_CODE_TTL = timedelta(minutes=5)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_SEND_INTERVAL = timedelta(seconds=60)

# --- Trade ----------------------------------------------------------------------------------

REGIONMALL_ORDER_PAY_TIMEOUT_MINUTES = int(os.environ.get("REGIONMALL_ORDER_PAY_TIMEOUT_MINUTES",
                                                          "30"))
REGIONMALL_ORDER_AUTO_COMPLETE_DAYS = int(os.environ.get("REGIONMALL_ORDER_AUTO_COMPLETE_DAYS",
                                                         "10"))
# Parcel tracking (trade.tracking): {"backend": "kuaidi100", "customer": ..., "key": ...} from
# REGIONMALL_TRACKING_JSON; default "none" calls nobody (the demo and tests need no network).
REGIONMALL_TRACKING = json.loads(os.environ.get("REGIONMALL_TRACKING_JSON", "null")
                                 or "null") or {"backend": "none"}
# The sandbox payment channel (its own pay page): on for the demo and tests, off in production.
REGIONMALL_SANDBOX_PAY = _env_bool("REGIONMALL_SANDBOX_PAY", True)

# Per-IP requests per second (core.ratelimit); per route prefix overrides; 0 = off.
REGIONMALL_RATE_LIMIT = int(os.environ.get("REGIONMALL_RATE_LIMIT", "100"))
REGIONMALL_RATE_LIMITS = json.loads(os.environ.get("REGIONMALL_RATE_LIMITS_JSON", "{}") or "{}")
# Outside partners fail fast after N outages in a row, for M seconds (core.circuit).
REGIONMALL_CIRCUIT = {"failure_threshold": 5, "recovery_timeout": 30}

# --- Flash sales (docs/flash-sales.md) -------------------------------------------------------

# A consumer's read-but-unacknowledged stream entries are claimed by another after this long.
REGIONMALL_FLASHSALE_CLAIM_IDLE_MS = int(os.environ.get("REGIONMALL_FLASHSALE_CLAIM_IDLE_MS",
                                                        "30000"))

# --- Payments (docs/payments.md) ------------------------------------------------------------

# "channel": the channel splits (WeChat Pay profit sharing, Alipay royalty) - the platform
# never holds a merchant's money. "platform": only for an operator with a payment licence.
REGIONMALL_SETTLEMENT_MODE = os.environ.get("REGIONMALL_SETTLEMENT_MODE", "channel")
# Splits are requested this many days after an order completes (the after-sales window);
# in platform mode it is also the T+N of the merchant's balance.
REGIONMALL_SETTLE_AFTER_DAYS = int(os.environ.get("REGIONMALL_SETTLE_AFTER_DAYS", "7"))
REGIONMALL_COMMISSION_BP = int(os.environ.get("REGIONMALL_COMMISSION_BP", "500"))  # 5%
# Public base URL the channels call back (notify_url); must be HTTPS in production.
REGIONMALL_PUBLIC_URL = os.environ.get("REGIONMALL_PUBLIC_URL", "http://127.0.0.1:8000")
# Pending payments older than this are queried at the channel by the reconciliation job.
REGIONMALL_PAYMENT_QUERY_AFTER_MINUTES = int(
    os.environ.get("REGIONMALL_PAYMENT_QUERY_AFTER_MINUTES", "5"))
# Enabled channels and their keys: a JSON object in REGIONMALL_PAYMENT_CHANNELS_JSON (see
# docs/payments.md), or the demo default (sandbox + corporate transfer).
REGIONMALL_PAYMENT_CHANNELS = json.loads(os.environ.get("REGIONMALL_PAYMENT_CHANNELS_JSON", "null")
                                         or "null") or (
    {"sandbox": {}, "transfer": {}} if REGIONMALL_SANDBOX_PAY else {})

# --- Security -------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _env_bool("REGIONMALL_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Languages ------------------------------------------------------------------------------

# Django ships zh-hans and zh-hant only; Cantonese and Minnan get their own codes (zh-hant-hk
# is mangled by to_locale). Django's own strings fall back to the default, Simplified Chinese.
LANG_INFO.update(
    {
        "yue": {"bidi": False, "code": "yue", "name": "Cantonese", "name_local": "粵語"},
        "nan": {"bidi": False, "code": "nan", "name": "Minnan", "name_local": "閩南語"},
    }
)
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("yue", "粵語"),
    ("nan", "閩南語"),
]
LANGUAGE_ALIASES = {"zh-hk": "yue", "zh-mo": "yue", "zh-hant-hk": "yue", "yue-hk": "yue"}
LOCALE_PATHS = [BASE_DIR / "regionmall" / "locale"]
LANGUAGE_COOKIE_NAME = "regionmall_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("REGIONMALL_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("REGIONMALL_MEDIA_ROOT", VAR_DIR / "media"))

# --- Logging: one JSON object per line, with the request id -------------------------------

LOG_LEVEL = os.environ.get("REGIONMALL_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "regionmall.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- RegionMall -----------------------------------------------------------------------------

REGIONMALL = {
    "PLATFORM_NAME": os.environ.get("REGIONMALL_PLATFORM_NAME", "金华区域电商平台"),
}

# Lockout is per account (above); per-IP throttling is separate (accounts.throttle) so one
# office behind a shared NAT is not locked out by a single colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
