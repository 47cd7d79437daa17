import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.idempotency import MAX_KEY_LENGTH
from core.limits import ModelMultipleIdsField
from core.tags import parse_tags
from studios.models import AlliancePage

from .attachments import MAX_FILES, clean_upload
from .models import ENTERPRISE_FIELDS, LONG_TEXT, MAX_COUNT, Problem, Proposal, Status
from .validators import not_in_the_past


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.pptx"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)d files.") % {"n": MAX_FILES})
        return [clean_upload(f) for f in files]


class ProblemForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separate with 、 or commas"),
    )
    files = MultipleFileField(
        label=_("Attachments (images, PDF, Office; ≤ 10 MB each)"), required=False
    )
    alliances = ModelMultipleIdsField(
        queryset=AlliancePage.objects.live(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Alliances that may see it"),
    )

    # The version the editor started from: a save over someone else's newer
    # change is refused instead of silently undoing it.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # A new problem's one-time token: the same form sent twice (a double
    # click, a retry after a lost answer) makes one problem, not two.
    submission = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=MAX_KEY_LENGTH
    )

    class Meta:
        model = Problem
        fields = list(ENTERPRISE_FIELDS)
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["submission"]
        else:
            self.fields["submission"].initial = uuid.uuid4().hex

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if not self.instance.pk:
            not_in_the_past(deadline)
        return deadline

    def clean(self):
        data = super().clean()
        if data.get("confidentiality") == "alliance" and not data.get("alliances"):
            self.add_error("alliances", _("Choose the alliances that may see it."))
        return data

    def tags(self):
        return parse_tags(self.cleaned_data.get("tag_names"))


class ProposalForm(forms.ModelForm):
    files = MultipleFileField(
        label=_("Attachments (images, PDF, Office; ≤ 10 MB each)"), required=False
    )

    class Meta:
        model = Proposal
        fields = ["text", "estimated_cost_wan_yuan", "estimated_days"]


def benefit_field(label):
    """An economic benefit in 10,000 yuan, if known (as Outcome stores it)."""
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=12, decimal_places=2
    )


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(result, result.label) for result in Status.RESULTS],
    )
    solution = forms.CharField(
        label=_("Adopted solution"), max_length=LONG_TEXT, widget=forms.Textarea
    )
    projected_benefit_wan_yuan = benefit_field(
        _("Projected economic benefit (10,000 yuan)")
    )
    actual_benefit_wan_yuan = benefit_field(_("Actual economic benefit (10,000 yuan)"))
    patents = forms.IntegerField(
        label=_("Patents"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    five_smalls = forms.IntegerField(
        label=_("Five smalls"), min_value=0, max_value=MAX_COUNT, initial=0
    )
