from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import IdField, PageField

from .models import Achievement
from .models.studio import Level


class StudioFilterForm(forms.Form):
    chain = IdField(required=False, label=_("Industry chain"))
    district = IdField(required=False, label=_("District"))
    level = forms.ChoiceField(
        required=False, choices=[("", "")] + Level.choices, label=_("Naming level")
    )
    alliance = IdField(required=False, label=_("Alliance"))
    tag = forms.CharField(required=False, max_length=100, label=_("Tag"))
    page = PageField()


class AchievementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", "")] + Achievement.Kind.choices, label=_("Kind")
    )
    year = forms.IntegerField(
        required=False, min_value=1949, max_value=2100, label=_("Year")
    )
    chain = IdField(required=False, label=_("Industry chain"))
    alliance = IdField(required=False, label=_("Alliance"))
    page = PageField()
