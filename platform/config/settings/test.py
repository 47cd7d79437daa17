"""Fast and isolated: MD5 hasher, local-memory caches, plain static files,
eager tasks. The database is SQLite unless DATABASE_URL names another."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
PAGE_CACHE_SECONDS = 0  # tests that exercise the page cache turn it on
STATIC_ROOT = None  # served from the app folders by the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
