from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.sitemaps import PageSitemap
from core.views import favicon, robots_txt
from problems.sitemaps import ProblemSitemap
from studios.sitemaps import AchievementSitemap, CraftsmanSitemap, StudioSitemap

sitemaps = {
    "pages": PageSitemap,
    "studios": StudioSitemap,
    "craftsmen": CraftsmanSitemap,
    "achievements": AchievementSitemap,
    "problems": ProblemSitemap,
}

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The "split" view: Swagger UI's start-up script is a separate URL
    # (?script=), so the page needs no inline script under a strict CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    # before the board's API, which answers any other /api/ address with 404
    path("api/v1/", include("joint_sessions.api.urls")),
    path("api/", include("problems.api.urls")),
    # Database, broker, search and workers, each on its own line (README
    # "Operations"); 500 when one is down. ?format=json for monitors.
    path(
        "health/",
        HealthCheckView.as_view(
            checks=[
                "core.health.Database",
                "core.health.Broker",
                "search.health.Search",
                "core.health.Workers",
                "core.health.BackgroundWork",
            ]
        ),
        name="health",
    ),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The embedded default serves uploads itself (DEBUG or not); in production
    # the web server in front does.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    path("", include("studios.urls")),
    path("", include("problems.urls")),
    path("", include("joint_sessions.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Error pages in the site's layout and the reader's language (templates
# 404.html and 500.html are Django's defaults; 403 says why).
handler403 = "accounts.errors.permission_denied"
