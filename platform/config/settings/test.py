"""Fast and isolated: MD5 hasher, local-memory caches, plain static files,
eager tasks. The database is SQLite unless DATABASE_URL names another."""

import os

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, SQLITE_OPTIONS

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
STORAGES = {
    **STORAGES,  # noqa: F405 (tests give "private" a folder of their own)
    "default": {"BACKEND": "core.storage.InMemoryMediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
PAGE_CACHE_SECONDS = 0  # tests that exercise the page cache turn it on
STATIC_ROOT = None  # served from the app folders by the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The throttles stay on, with rates no test run reaches (tests/site/test_headers.py
# checks the real rates); their counts live in the default cache.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
