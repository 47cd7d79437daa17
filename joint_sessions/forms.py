import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import MAX_ID
from problems.models import Problem
from studios.models import AlliancePage

from .models import LONG_TEXT, SHORT_TEXT, Mode

QUOTA_LINE = re.compile(r"^\s*(.+?)\s*[×xX*:：]\s*(\d{1,3})\s*$")


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problems = forms.ModelMultipleChoiceField(
        label=_("Problems"), queryset=Problem.objects.none()
    )
    alliance = forms.ModelChoiceField(
        label=_("Organising alliance"), queryset=AlliancePage.objects.none()
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    address = forms.CharField(label=_("Site address"), max_length=300, required=False)
    meeting_link = forms.URLField(
        label=_("Meeting link"), required=False, assume_scheme="https"
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    signup_deadline = forms.DateTimeField(
        label=_("Sign-up deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    cancellation_cutoff = forms.DateTimeField(
        label=_("Cancellation cut-off"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    total_seats = forms.IntegerField(
        label=_("Seats in total"), min_value=1, max_value=500
    )
    quotas = forms.CharField(
        label=_("Seats per skill"),
        help_text=_("One skill a line, e.g. “电气自动化 × 2”."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=2000, widget=forms.Textarea
    )
    safety_notes = forms.CharField(
        label=_("Safety notes"), required=False, max_length=2000, widget=forms.Textarea
    )
    confidentiality_notes = forms.CharField(
        label=_("Confidentiality notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["alliance"].queryset = AlliancePage.objects.live().order_by("title")

    def clean_quotas(self):
        quotas = []
        for line in self.cleaned_data["quotas"].splitlines():
            if not line.strip():
                continue
            match = QUOTA_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Write each line as a skill and a number, e.g. “电气自动化 × 2”.")
                )
            quotas.append((match.group(1)[:100], int(match.group(2))))
        if not quotas:
            raise forms.ValidationError(_("Give at least one skill."))
        return quotas


WHEN_FORMAT = "%Y-%m-%dT%H:%M"


def when_input():
    """A date-and-time picker that also shows a stored value."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=WHEN_FORMAT)


class RescheduleForm(forms.Form):
    """A change of time or place; everyone signed up is told."""

    starts_at = forms.DateTimeField(label=_("Starts at"), widget=when_input())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=when_input())
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    address = forms.CharField(label=_("Site address"), max_length=300, required=False)
    meeting_link = forms.URLField(
        label=_("Meeting link"), required=False, assume_scheme="https"
    )
    signup_deadline = forms.DateTimeField(
        label=_("Sign-up deadline"), widget=when_input()
    )
    cancellation_cutoff = forms.DateTimeField(
        label=_("Cancellation cut-off"), widget=when_input()
    )

    @classmethod
    def of(cls, session):
        return cls(initial={name: getattr(session, name) for name in cls.base_fields})


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    proposal_text = forms.CharField(
        label=_("A proposal made in the session"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposal_problem = forms.IntegerField(
        label=_("For problem"), required=False, min_value=1, max_value=MAX_ID
    )
    proposal_by = forms.IntegerField(
        label=_("Proposed by"), required=False, min_value=1, max_value=MAX_ID
    )


class VolunteerForm(forms.Form):
    note = forms.CharField(label=_("How your studio can help"), max_length=SHORT_TEXT)
