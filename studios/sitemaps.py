from core.sitemaps import SiteSitemap as Sitemap

from .models import Achievement, Craftsman
from .selectors import live_studios


class StudioSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return live_studios().only("slug", "updated_at").order_by("slug")

    def lastmod(self, studio):
        return studio.updated_at


class AchievementSitemap(Sitemap):
    def items(self):
        return Achievement.objects.filter(studio__live=True).only("pk").order_by("pk")


class CraftsmanSitemap(Sitemap):
    def items(self):
        return (
            Craftsman.objects.filter(memberships__studio__live=True)
            .distinct()
            .only("pk")
            .order_by("pk")
        )
