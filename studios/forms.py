from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Achievement
from .models.studio import Level


class StudioFilterForm(forms.Form):
    chain = forms.IntegerField(required=False, min_value=1, label=_("Industry chain"))
    district = forms.IntegerField(required=False, min_value=1, label=_("District"))
    level = forms.ChoiceField(
        required=False, choices=[("", "")] + Level.choices, label=_("Naming level")
    )
    alliance = forms.IntegerField(required=False, min_value=1, label=_("Alliance"))
    tag = forms.CharField(required=False, max_length=100, label=_("Tag"))
    page = forms.IntegerField(required=False, min_value=1)


class AchievementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", "")] + Achievement.Kind.choices, label=_("Kind")
    )
    year = forms.IntegerField(
        required=False, min_value=1949, max_value=2100, label=_("Year")
    )
    chain = forms.IntegerField(required=False, min_value=1, label=_("Industry chain"))
    alliance = forms.IntegerField(required=False, min_value=1, label=_("Alliance"))
    page = forms.IntegerField(required=False, min_value=1)
