"""Reads for the public showcase, each shaped to a fixed number of queries."""

from django.db.models import CharField, Count, Prefetch, Q, Sum, Value
from django.db.models.functions import Cast
from taggit.models import Tag

from core.snippets import District, IndustryChain

from .models import (
    Achievement,
    AlliancePage,
    StoryPage,
    Studio,
    StudioMember,
    StudioPhoto,
)


def live_studios():
    return Studio.objects.filter(live=True)


def _facet(model, kind, label, count_path):
    """(kind, pk, label, English label, count) rows; the English label
    (``name_en`` / ``title_en``) is shown on /en/ when it is filled."""
    live = Q(**{f"{count_path}__live": True})
    return (
        model.objects.order_by()
        .annotate(kind=Value(kind), n=Count(count_path, filter=live))
        .values_list("kind", "pk", label, f"{label}_en", "n")
    )


def studio_facets():
    """Chains, districts and alliances with live-studio counts, in one query."""
    union = _facet(IndustryChain, "chain", "name", "studios").union(
        _facet(District, "district", "name", "studios"),
        _facet(AlliancePage, "alliance", "title", "studios").filter(live=True),
        all=True,
    )
    facets = {"chain": [], "district": [], "alliance": []}
    for kind, pk, name, name_en, count in union:
        if count:
            facets[kind].append(
                {"pk": pk, "name": name, "name_en": name_en, "count": count}
            )
    for options in facets.values():
        options.sort(key=lambda o: (-o["count"], o["name"]))
    return facets


def popular_tags(limit=30):
    return list(
        Tag.objects.filter(studios_studiotag_items__content_object__live=True)
        .annotate(n=Count("studios_studiotag_items"))
        .order_by("-n", "name")[:limit]
    )


def studio_detail(slug, *, include_drafts=False):
    """One studio with everything its page shows, in a fixed number of queries."""
    studios = Studio.objects.all() if include_drafts else live_studios()
    return (
        studios.select_related("enterprise", "industry_chain", "district")
        .prefetch_related(
            "tags",
            "honours",
            Prefetch("alliances", queryset=AlliancePage.objects.live()),
            Prefetch(
                "members",
                queryset=StudioMember.objects.select_related("craftsman").order_by(
                    "-role", "sort_order"
                ),
            ),
            Prefetch(
                "achievements",
                queryset=Achievement.objects.select_related("image")
                .prefetch_related("image__renditions")
                .order_by("-year", "sort_order"),
            ),
            Prefetch(
                "photos",
                queryset=StudioPhoto.objects.select_related("image").prefetch_related(
                    "image__renditions"
                ),
            ),
        )
        .get(slug=slug)
    )


def live_achievements():
    return Achievement.objects.filter(studio__live=True)


def achievement_facets():
    """Years, chains and alliances that have achievements, in one query."""
    live = live_achievements().order_by()
    chains = live.values_list(
        Value("chain"),
        "studio__industry_chain",
        "studio__industry_chain__name",
        "studio__industry_chain__name_en",
    ).annotate(n=Count("pk"))
    union = chains.union(
        live.exclude(year=None)
        .values_list(Value("year"), "year", Cast("year", CharField()), Value(""))
        .annotate(n=Count("pk")),
        live.filter(studio__alliances__live=True)
        .values_list(
            Value("alliance"),
            "studio__alliances",
            "studio__alliances__title",
            "studio__alliances__title_en",
        )
        .annotate(n=Count("pk")),
        all=True,
    )
    facets = {"year": [], "chain": [], "alliance": []}
    for kind, pk, name, name_en, count in union:
        facets[kind].append(
            {"pk": pk, "name": name, "name_en": name_en, "count": count}
        )
    facets["year"].sort(key=lambda o: -o["pk"])
    facets["chain"].sort(key=lambda o: (-o["count"], str(o["name"])))
    facets["alliance"].sort(key=lambda o: (-o["count"], str(o["name"])))
    return facets


def showcase_summary():
    achievements = Achievement.objects.filter(studio__live=True)
    totals = achievements.aggregate(
        benefit=Sum("benefit_wan_yuan"),
        patents=Count("pk", filter=Q(kind=Achievement.Kind.PATENT)),
        count=Count("pk"),
    )
    return {
        "studio_count": live_studios().count(),
        "alliance_count": AlliancePage.objects.live().count(),
        "achievement_count": totals["count"],
        "patent_count": totals["patents"],
        "benefit_total": totals["benefit"] or 0,
        "latest_achievements": achievements.select_related("studio").order_by(
            "-year", "-pk"
        )[:6],
        "latest_stories": StoryPage.objects.live().order_by("-date")[:3],
    }
