"""Whole-response cache for public pages, read by anonymous visitors.

Responses are stored under a *generation* number; any content change bumps
the generation (see signals.py) once its transaction commits, so no visitor
sees a stale page and Redis is never flushed.

A page is stored under the generation read when its request *began*, and only
if no change committed while it was rendered: a reader who loaded a problem
just before it was made confidential cannot put the old page back in the
cache under the new generation.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

GENERATION_KEY = "public-pages:generation"
# Search results follow the index, which is written after the content commit.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/static/",
    "/media/",
    "/search/",
    "/en/search/",
    "/accounts/",
    "/en/accounts/",
)


def current_generation():
    return caches["default"].get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate_public_pages():
    """Bump the generation now, and again once the current transaction commits:
    the first keeps this transaction's own later reads fresh, the second makes
    sure no page rendered from the data before the commit is served after it
    (registered once per transaction however many rows it changes)."""
    _bump_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback[1] is _bump_generation for callback in connection.run_on_commit
    ):
        transaction.on_commit(_bump_generation)


def _bump_generation():
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def is_cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


class PublicPageCacheFetchMiddleware(FetchFromCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_request(self, request):
        if not is_cacheable(request):
            request._cache_update_cache = False
            return None
        request._page_cache_generation = current_generation()
        self.key_prefix = f"g{request._page_cache_generation}"
        return super().process_request(request)


class PublicPageCacheUpdateMiddleware(UpdateCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_response(self, request, response):
        started = getattr(request, "_page_cache_generation", None)
        if not is_cacheable(request) or started is None:
            return response
        if current_generation() != started:
            return response  # content changed while this page was rendered
        self.cache_timeout = settings.PAGE_CACHE_SECONDS
        self.key_prefix = f"g{started}"
        return for_downstream(super().process_response(request, response))


def for_downstream(response):
    """Only this cache learns when content changes (a problem made
    confidential, a report unpublished) and drops what it kept at once.
    Browsers and shared caches (a proxy, a CDN) would keep the page for its
    max-age regardless: they may store a public page but must ask again
    before each use."""
    if "private" not in response.get("Cache-Control", ""):
        response["Cache-Control"] = "public, no-cache"
        del response["Expires"]
    return response


def cached_for_content(key, compute, timeout=3600):
    """A value derived from content, recomputed after any content change."""
    cache = caches["default"]
    full_key = f"content:g{current_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
