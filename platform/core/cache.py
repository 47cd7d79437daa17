"""Whole-response cache for public pages, read by anonymous visitors.

Responses are stored under a *generation* number; any content change bumps
the generation (see signals.py), so no visitor sees a stale page and Redis
is never flushed.
"""

from django.conf import settings
from django.core.cache import caches
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


class _GenerationMixin:
    def _set_prefix(self):
        self.key_prefix = f"g{current_generation()}"


class PublicPageCacheFetchMiddleware(_GenerationMixin, FetchFromCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_request(self, request):
        if not is_cacheable(request):
            request._cache_update_cache = False
            return None
        self._set_prefix()
        return super().process_request(request)


class PublicPageCacheUpdateMiddleware(_GenerationMixin, UpdateCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_response(self, request, response):
        if not is_cacheable(request):
            return response
        self.cache_timeout = settings.PAGE_CACHE_SECONDS
        self._set_prefix()
        return super().process_response(request, response)


def cached_for_content(key, compute, timeout=3600):
    """A value derived from content, recomputed after any content change."""
    cache = caches["default"]
    full_key = f"content:g{current_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
