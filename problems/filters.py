"""The board's filters (django-filter), over what the reader may list.

Filters look only at what the reader may see: a problem known by its summary
(``full_view`` False, see ``Problem.objects.listed_for``) matches on its
summary, chain and status, never on its hidden text, tags, enterprise,
district or alliances (a filter would otherwise tell which confidential
problem holds a word)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, PageFilter

from .models import Problem, Status
from .selectors import containing, listed_problems


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="words", max_length=100, label=_("Search"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    chain = IdFilter(field_name="industry_chain", label=_("Industry chain"))
    alliance = IdFilter(method="in_alliance", label=_("Alliance"))
    district = IdFilter(method="in_district", label=_("District"))
    tag = django_filters.CharFilter(method="tagged", max_length=100, label=_("Tag"))
    page = PageFilter()

    def __init__(self, data, *, user):
        super().__init__(data, queryset=listed_problems(user))

    @property
    def qs(self):
        return super().qs.order_by("-created_at", "-pk")

    def in_alliance(self, problems, name, alliance):
        return problems.filter(
            full_view=True,
            pk__in=Problem.objects.filter(
                Q(alliances=alliance) | Q(enterprise__studios__alliances=alliance)
            ).values("pk"),
        )

    def in_district(self, problems, name, district):
        return problems.filter(full_view=True, enterprise__district=district)

    def tagged(self, problems, name, tag):
        return problems.filter(
            full_view=True,
            pk__in=Problem.objects.filter(tags__name__iexact=tag).values("pk"),
        )

    def words(self, problems, name, query):
        return problems.filter(
            (Q(full_view=True) & containing([query]))
            | (Q(full_view=False) & Q(public_summary__icontains=query))
        )
