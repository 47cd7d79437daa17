from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from .two_factor import needs_second_factor

# What a staff member reaches before passing the second factor.
OPEN = {
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "accounts:logout",
    "set_language",
}


class StaffSecondFactorMiddleware:
    """Union staff (who see everything) reach no page, admin screen or API
    action with their session until it has passed the second factor: they are
    sent to enter a code (or, the first time, to set up their authenticator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not self._open(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Union staff must pass the second factor first.")},
                    status=403,
                )
            target = reverse("accounts:two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN
