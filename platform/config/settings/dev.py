"""The embedded default: SQLite file, in-process search, a Celery worker on a
filesystem broker (no server to install; `make run` starts it).

DEBUG is off unless asked for (`DEBUG=1 make run`): a visitor never sees a
traceback. Static files are served by WhiteNoise straight from the app
folders (no collectstatic), uploaded media by Django (see config/urls.py).
"""

import os

from .base import *  # noqa: F403
from .base import BROKER_DIR, CELERY_BROKER_URL, VAR_DIR

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-deploy"
VAR_DIR.mkdir(parents=True, exist_ok=True)
if CELERY_BROKER_URL.startswith("filesystem"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
SERVE_MEDIA = True
