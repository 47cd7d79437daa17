"""The Wagtail Site follows SITE_URL, the site's configured public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def site_address(url=None):
    """(hostname, port) of ``url`` (default: SITE_URL)."""
    parts = urlsplit(url or settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            "SITE_URL must be an http(s) address such as "
            f"https://jianglian.example.org, not {url or settings.SITE_URL!r}."
        )
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def point_default_site_at_site_url():
    """Give the default Wagtail Site SITE_URL's host name and port; returns True
    when it changed (Wagtail's page addresses in the admin and its sitemaps
    then name the real site, not localhost)."""
    from wagtail.models import Site

    hostname, port = site_address()
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()
    return True
