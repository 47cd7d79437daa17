from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
)
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.services import send_email
from organisations.credit_code import normalise, validate_credit_code
from studios.models import Craftsman, Studio

from .models import Role


class RegistrationForm(BaseUserCreationForm):
    """Enterprises and craftsmen register with a claim; union staff decide.

    Whether the username or address is taken is not checked here: the form
    would tell anyone which exist. The registration service checks and tells
    only the owner of the address (by email)."""

    email = forms.EmailField(label=pgettext_lazy("form field", "Email"))
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
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        required=False,
        help_text=_("The 18 characters on the business licence."),
    )
    studio = forms.ModelChoiceField(
        label=_("Studio"), required=False, queryset=Studio.objects.filter(live=True)
    )

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def validate_unique(self):
        """Taken names and addresses are the service's business (see above)."""

    def clean_credit_code(self):
        code = normalise(self.cleaned_data.get("credit_code"))
        if code:
            validate_credit_code(code)
        return code

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.ENTERPRISE:
            if not (data.get("enterprise_name") or "").strip():
                self.add_error("enterprise_name", _("Name your enterprise."))
            if not data.get("credit_code") and "credit_code" not in self.errors:
                self.add_error(
                    "credit_code",
                    _("Give your enterprise's unified social credit code."),
                )
        if data.get("role") == Role.CRAFTSMAN and not data.get("studio"):
            self.add_error("studio", _("Choose your studio."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=pgettext_lazy("one-time password", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True}
        ),
        help_text=_("The 6 digits your authenticator app shows, or a recovery code."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip().replace(" ", "")


class LoginForm(AuthenticationForm):
    """Django's login form sets the username's max_length after building the
    field, so the length is never checked: a 100,000-character name reached
    authenticate() and the lockout record (varchar 255) — a 500 on PostgreSQL.
    Here it is refused as a form error first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's password reset, its mail queued for a Celery task (sent once
    the request is done, retried if the mail server is away)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email(to=to_email, subject=subject, body=body)


class ProfileClaimForm(forms.Form):
    """Which public craftsman profile is me (checked by the service: one of
    my studio's, claimed by nobody)."""

    profile = forms.ModelChoiceField(
        label=_("My public profile"), queryset=Craftsman.objects.all()
    )
