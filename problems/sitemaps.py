from core.sitemaps import SiteSitemap

from .models import Problem


class ProblemSitemap(SiteSitemap):
    """Problems everyone may read in full: public, published, not merged."""

    changefreq = "daily"

    def items(self):
        return Problem.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, problem):
        return problem.updated_at
