from django.urls import translate_url
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Studios"), "/studios/"),
    (_("Achievements"), "/achievements/"),
    (_("Alliances"), "/alliances/"),
    (_("Problem board"), "/problems/"),
    (_("Stories"), "/stories/"),
    (_("Search"), "/search/"),
]


def site_navigation(request):
    """Menu and language-switch links; no database query."""
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    return {
        "navigation": NAVIGATION,
        "language_links": [
            (code, name, translate_url(request.path, code) + suffix)
            for code, name in (("zh-hans", "中文"), ("en", "English"))
        ],
    }
