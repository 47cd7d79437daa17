from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import PageField

from .public import TYPES


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    type = forms.ChoiceField(
        required=False, choices=[("", "")] + [(t, t) for t in TYPES]
    )
    industry_chain = forms.CharField(required=False, max_length=100)
    district = forms.CharField(required=False, max_length=100)
    alliance = forms.CharField(required=False, max_length=255)
    level = forms.CharField(required=False, max_length=8)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    page = PageField()
