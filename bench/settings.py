"""Benchmarks run on the embedded default, in a throw-away SQLite file."""

import os
import tempfile

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
_DB = os.environ.get("BENCH_DB") or os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _DB}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "ERROR"},
}
# Background work runs inline when the import commits, so the import figures
# include the lexical indexing, as a worker would do it right after (sentence
# vectors are left to the worker: eager runs never encode more than a few).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
