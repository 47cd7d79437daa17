"""Answers that tell the truth about what was saved, and headers that keep
personal pages out of shared caches."""

import logging

from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

log = logging.getLogger("jianglian.conflicts")

# PostgreSQL's answers to colliding transactions (psycopg error classes)
_COLLISIONS = {"DeadlockDetected", "SerializationFailure", "LockNotAvailable"}
PRIVATE_PREFIXES = ("/api/", "/accounts/", "/en/accounts/")


def is_collision(exc):
    """A write that collided with another one: a unique key taken meanwhile,
    or a lock not had in time (SQLite's "database is locked")."""
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        cause = type(exc.__cause__).__name__
        return "locked" in str(exc) or cause in _COLLISIONS
    return False


class ConflictMiddleware:
    """A write that lost a race answers 409 with a message, not 500.

    The views write in one transaction, so the failed write rolled back whole:
    nothing of it was saved, which is what a 409 says. (Work after a commit
    never raises: see core.outbox.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_collision(exception):
            return None
        log.warning(
            "Write collided on %s %s; answered 409",
            request.method,
            request.path,
            exc_info=exception,
        )
        message = _(
            "Someone else changed the same thing at the same moment, so nothing "
            "of yours was saved. Reload the page and try again."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=409)
        return render(request, "core/conflict.html", {"message": message}, status=409)


class PrivateCacheMiddleware:
    """Personalised answers (any to a signed-in user, every account page and
    every API answer) are for that browser only: `Cache-Control: private,
    no-store`. Anonymous public pages keep their public caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES) or self.signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def signed_in(request):
        # Without a session cookie nobody is signed in on a page (API tokens
        # are covered by the /api/ prefix): the session is then left untouched.
        user = getattr(request, "user", None)
        return (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
        )
