from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from studios.models import Studio

from .models import Role


class RegistrationForm(UserCreationForm):
    """Enterprises and craftsmen register; union staff approve them."""

    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("I register as"),
        choices=[
            (Role.ENTERPRISE, Role.ENTERPRISE.label),
            (Role.CRAFTSMAN, Role.CRAFTSMAN.label),
        ],
    )
    enterprise_name = forms.CharField(
        label=_("Enterprise name"), max_length=200, required=False
    )
    studio = forms.ModelChoiceField(
        label=_("Studio"), required=False, queryset=Studio.objects.filter(live=True)
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.ENTERPRISE and not data.get("enterprise_name"):
            self.add_error("enterprise_name", _("Name your enterprise."))
        if data.get("role") == Role.CRAFTSMAN and not data.get("studio"):
            self.add_error("studio", _("Choose your studio."))
        return data


class LoginForm(AuthenticationForm):
    """Django's login form sets the username's max_length after building the
    field, so the length is never checked: a 100,000-character name reached
    authenticate() and the lockout record (varchar 255) — a 500 on PostgreSQL.
    Here it is refused as a form error first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
