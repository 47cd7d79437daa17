"""The showcase's index filters (django-filter): studios and achievements."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, IntegerFilter, PageFilter

from .models import Achievement
from .models.studio import Level
from .selectors import live_achievements, live_studios


class StudioFilter(django_filters.FilterSet):
    chain = IdFilter(field_name="industry_chain", label=_("Industry chain"))
    district = IdFilter(field_name="district", label=_("District"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Naming level"))
    alliance = IdFilter(field_name="alliances", label=_("Alliance"))
    tag = django_filters.CharFilter(
        field_name="tags__name", lookup_expr="iexact", max_length=100, label=_("Tag")
    )
    page = PageFilter()

    def __init__(self, data):
        super().__init__(data, queryset=live_studios())

    @property
    def qs(self):
        """One query for the rows, one for their tags."""
        return (
            super()
            .qs.select_related("enterprise", "industry_chain", "district")
            .prefetch_related("tags")
            .order_by("slug")
        )


class AchievementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Achievement.Kind.choices, label=_("Kind")
    )
    year = IntegerFilter(min_value=1949, max_value=2100, label=_("Year"))
    chain = IdFilter(field_name="studio__industry_chain", label=_("Industry chain"))
    alliance = IdFilter(field_name="studio__alliances", label=_("Alliance"))
    page = PageFilter()

    def __init__(self, data):
        super().__init__(data, queryset=live_achievements())

    @property
    def qs(self):
        return (
            super()
            .qs.select_related("studio", "studio__industry_chain", "image")
            .prefetch_related("image__renditions")
            .order_by("-year", "studio__slug", "sort_order")
        )
