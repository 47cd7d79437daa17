from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.cache import cached_for_content
from core.filters import chosen
from core.hooks import STUDIO_PAGE_PANELS, panels_from

from . import selectors
from .filters import AchievementFilter, StudioFilter
from .models import Achievement, Craftsman, Studio
from .models.studio import Level

PER_PAGE = 12


def _bad_filter(request, form):
    return render(request, "studios/bad_filter.html", {"form": form}, status=400)


def _querystring(filters):
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in filters.items() if k != "page"})


def studio_index(request):
    filterset = StudioFilter(request.GET)
    if not filterset.is_valid():
        return _bad_filter(request, filterset.form)
    filters = chosen(filterset)
    page = Paginator(filterset.qs, PER_PAGE).get_page(filters.get("page"))
    return render(
        request,
        "studios/studio_index.html",
        {
            "page": page,
            "filters": filters,
            "querystring": _querystring(filters),
            "facets": cached_for_content("studio-facets", selectors.studio_facets),
            "tags": cached_for_content("popular-tags", selectors.popular_tags),
            "levels": Level.choices,
        },
    )


def studio_detail(request, slug):
    try:
        studio = selectors.studio_detail(slug)
    except Studio.DoesNotExist as exc:
        raise Http404(_("No such studio.")) from exc
    return render(
        request,
        "studios/studio_detail.html",
        {"studio": studio, "panels": panels_from(STUDIO_PAGE_PANELS, request, studio)},
    )


def craftsman_detail(request, pk):
    craftsman = get_object_or_404(Craftsman, pk=pk)
    memberships = craftsman.memberships.filter(studio__live=True).select_related(
        "studio", "studio__enterprise"
    )
    if not memberships:
        raise Http404(_("No such craftsman."))
    return render(
        request,
        "studios/craftsman_detail.html",
        {
            "craftsman": craftsman,
            "memberships": memberships,
        },
    )


def achievement_index(request):
    filterset = AchievementFilter(request.GET)
    if not filterset.is_valid():
        return _bad_filter(request, filterset.form)
    filters = chosen(filterset)
    page = Paginator(filterset.qs, PER_PAGE).get_page(filters.get("page"))
    return render(
        request,
        "studios/achievement_index.html",
        {
            "page": page,
            "filters": filters,
            "querystring": _querystring(filters),
            "facets": cached_for_content(
                "achievement-facets", selectors.achievement_facets
            ),
            "kinds": Achievement.Kind.choices,
        },
    )


def achievement_detail(request, pk):
    achievement = get_object_or_404(
        Achievement.objects.select_related("studio", "studio__enterprise", "image"),
        pk=pk,
        studio__live=True,
    )
    return render(
        request, "studios/achievement_detail.html", {"achievement": achievement}
    )
