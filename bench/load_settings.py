"""The load test's server (bench/load.py): the site's settings with DEBUG off,
on PostgreSQL and Redis. bench/load.py sets DATABASE_URL and REDIS_URL (page
cache, sessions' cache, broker) before Django reads them."""

import os

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Setting up the data (not serving): the indexing recorded by the import runs
# inline when it commits; sentence vectors are not computed (encoding 10,000
# studios takes hours here), so searches rank by words plus the query's vector.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("LOAD_SETUP") == "1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
