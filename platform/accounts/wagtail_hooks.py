"""People in the Wagtail admin: union staff see who is who and what they
claimed, correct it, and make colleagues union staff (their admin access
follows the role)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Person


class PersonViewSet(ModelViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "user",
        "role",
        "enterprise",
        "studio",
        "claimed_enterprise_name",
        "email_verified_at",
        "approved_at",
        "rejected_at",
    ]
    list_filter = ["role"]
    search_fields = [
        "user__username",
        "user__email",
        "enterprise__name",
        "claimed_enterprise_name",
        "claimed_credit_code",
    ]
    search_backend_name = None
    # Corrections only: claims are decided on /accounts/pending/, which checks
    # them and emails the outcome.
    form_fields = [
        "user",
        "role",
        "enterprise",
        "studio",
        "claimed_enterprise_name",
        "claimed_credit_code",
        "claimed_studio",
        "email_verified_at",
        "approved_at",
        "rejected_at",
        "rejection_reason",
    ]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_people():
    return PersonViewSet()
