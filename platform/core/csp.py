"""The Content-Security-Policy (django-csp): strict on the site, with two
documented exceptions (see README, "Security headers").

- The site: scripts and styles only from our own origin, no inline script or
  style, no plugins, not framed by others.
- /admin/ and /django-admin/ (Wagtail's and Django's admin, signed-in staff
  only): Wagtail 8 still renders a few inline scripts (inline panels, date
  widgets) and inline styles, so these paths also allow 'unsafe-inline'.
- /api/docs/ (Swagger UI, served from our static files by
  drf-spectacular-sidecar): its start-up script is a separate request
  (SpectacularSwaggerSplitView); Swagger UI sets style attributes as it runs and
  draws icons from data: URLs, so styles may be inline there (scripts never).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
API_DOCS_PREFIX = "/api/docs/"

ADMIN_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
API_DOCS_UPDATE = {
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.update is not None:
            return parts
        if request.path_info.startswith(ADMIN_PREFIXES):
            return PolicyParts(parts.config, ADMIN_UPDATE, parts.replace, parts.nonce)
        if request.path_info.startswith(API_DOCS_PREFIX):
            return PolicyParts(
                parts.config, API_DOCS_UPDATE, parts.replace, parts.nonce
            )
        return parts
