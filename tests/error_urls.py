"""The site's URLs plus one view that fails, to see the 500 page."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from config.urls import *  # noqa: F403  (urlpatterns and the error handlers)
from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug, for the 500 page test")


urlpatterns = [
    *i18n_patterns(path("broken/", broken), prefix_default_language=False),
    *site_urlpatterns,
]
