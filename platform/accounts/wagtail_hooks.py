"""People in the Wagtail admin: union staff see who is who, approve, and make
colleagues union staff (their admin access follows the role)."""

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
    list_display = ["user", "role", "enterprise", "studio", "approved_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "enterprise__name"]
    search_backend_name = None
    form_fields = ["user", "role", "enterprise", "studio", "approved_at"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_people():
    return PersonViewSet()
