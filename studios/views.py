from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.cache import cached_for_content
from core.filters import filtered_page
from core.hooks import CRAFTSMAN_PAGE_PANELS, STUDIO_PAGE_PANELS, panels_from

from . import selectors
from .filters import AchievementFilter, StudioFilter
from .models import Achievement, Craftsman, Studio
from .models.studio import Level

PER_PAGE = 12


def studio_index(request):
    return filtered_page(
        request,
        StudioFilter(request.GET),
        "studios/studio_index.html",
        per_page=PER_PAGE,
        context={
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
            "panels": panels_from(CRAFTSMAN_PAGE_PANELS, request, craftsman),
        },
    )


def achievement_index(request):
    return filtered_page(
        request,
        AchievementFilter(request.GET),
        "studios/achievement_index.html",
        per_page=PER_PAGE,
        context={
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
