"""People in the Wagtail admin: union staff see who is who and what they
claimed, correct it, and make colleagues union staff (their admin access
follows the role)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.cache import invalidate_public_pages

from . import services
from .models import Person

# what decides whether a public profile shows its person's record
LINK_FIELDS = {"profile", "studio", "role", "approved_at"}


class LinksProfile:
    """Saving a person whose public profile is set locks the profile and
    checks, after the lock, that nobody else holds it (services.hold_profile):
    a lost race is a 409 with the form and its message, nothing saved."""

    def save_instance(self):
        person = self.form.instance
        if person.profile_id:
            services.hold_profile(person=person, profile=person.profile, judged=person)
        saved = super().save_instance()
        if set(self.form.changed_data) & LINK_FIELDS:
            invalidate_public_pages()  # the profile's page shows the record
        return saved

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (services.Conflict, PermissionDenied) as refused:
            form.add_error("profile", str(refused))
            self.produced_error_code = "conflict"
            self.produced_error_message = str(refused)
            response = self.form_invalid(form)
            response.status_code = 409
            return response


class PersonCreateView(LinksProfile, generic.CreateView):
    pass


class PersonEditView(LinksProfile, generic.EditView):
    pass


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
        "profile",
        "email_verified_at",
        "approved_at",
        "rejected_at",
        "rejection_reason",
    ]
    copy_view_enabled = False
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView


@hooks.register("register_admin_viewset")
def register_people():
    return PersonViewSet()
