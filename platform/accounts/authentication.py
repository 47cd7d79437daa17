from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .people import is_staff


class TokenAuthentication(authentication.TokenAuthentication):
    """API tokens for enterprises and craftsmen. A token is a single factor,
    so union staff (who see everything) are refused one: they use the API from
    their signed-in session, which has passed the second factor."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_staff(user):
            raise exceptions.AuthenticationFailed(
                _("Union staff use the API from a session with a second factor.")
            )
        return user, token
