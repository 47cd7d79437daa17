"""Sitemaps on the site's configured address (SITE_URL), never on the address a
request happened to use, with every page in both languages and hreflang
alternates (Django's i18n sitemaps)."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from wagtail import hooks

from .hooks import PAGES_HIDDEN_FROM_PUBLIC


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(settings.SITE_URL)
        return super().get_urls(
            page=page,
            site=SimpleNamespace(domain=address.netloc),
            protocol=address.scheme,
        )


class PageSitemap(SiteSitemap):
    """The Wagtail pages of the default site that everyone may read (not those
    a higher app hides from anonymous readers: ``PAGES_HIDDEN_FROM_PUBLIC``)."""

    def items(self):
        from wagtail.models import Site

        site = Site.objects.select_related("root_page").get(is_default_site=True)
        pages = site.root_page.get_descendants(inclusive=True).live().public()
        for hidden in hooks.get_hooks(PAGES_HIDDEN_FROM_PUBLIC):
            pages = pages.exclude(pk__in=hidden())
        return pages.order_by("path").only(
            "pk", "path", "url_path", "last_published_at"
        )

    def location(self, page):
        # The path in the active language (Django sets it for each alternate).
        return page.get_url_parts()[2]

    def lastmod(self, page):
        return page.last_published_at
