"""Production: every secret and address comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BROKER_DIR,
    CELERY_BROKER_URL,
    REST_FRAMEWORK,
    SECRET_KEY,
    logging_settings,
)

if not SECRET_KEY or SECRET_KEY.startswith("dev-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters "
        "in production (for example: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

DEBUG = False
# Without REDIS_URL (a one-machine pilot) the broker is a folder, as in dev.
if CELERY_BROKER_URL.startswith("filesystem"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Behind the TLS proxy that SECURE_PROXY_SSL_HEADER trusts: the API throttles
# count the client named by its X-Forwarded-For, not the proxy.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "1")),
}
# One JSON object a line (LOG_FORMAT=text for plain lines): a log collector
# reads job_id, task_name, attempt, problem_id… as fields.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = logging_settings(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
