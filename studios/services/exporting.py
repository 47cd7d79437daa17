"""export_studios: every studio in the interchange format, ordered by id."""

import json

from django.db.models import Prefetch

from ..models import Achievement, AlliancePage, Studio, StudioMember, StudioTag


def registered_achievements():
    """The achievements the register (studios.jsonl) holds: not those the
    platform derives from a verified problem outcome, which stay with their
    outcome whatever a re-import says."""
    return Achievement.objects.filter(outcome__isnull=True).order_by("sort_order", "pk")


def studios_for_export():
    return (
        Studio.objects.select_related("enterprise", "industry_chain", "district")
        .prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=StudioTag.objects.select_related("tag").order_by("pk"),
            ),
            Prefetch("alliances", queryset=AlliancePage.objects.order_by("title")),
            Prefetch(
                "members",
                queryset=StudioMember.objects.filter(
                    role=StudioMember.Role.LEADER
                ).select_related("craftsman"),
            ),
            Prefetch("achievements", queryset=registered_achievements()),
        )
        .order_by("slug")
    )


def studio_records():
    for studio in studios_for_export().iterator(chunk_size=500):
        yield studio_record(studio)


def studio_record(studio):
    record = {
        "id": studio.slug,
        "name": studio.name,
        "enterprise": studio.enterprise.name,
        "industry_chain": studio.industry_chain.name,
    }
    if studio.district:
        record["district"] = studio.district.name
    if studio.level:
        record["level"] = studio.level
    leaders = list(studio.members.all())
    if leaders:
        craftsman = leaders[0].craftsman
        record["leader"] = {"name": craftsman.name, "titles": craftsman.title_list}
    record["expertise"] = studio.expertise
    record["tags"] = [item.tag.name for item in studio.tagged_items.all()]
    if studio.member_count is not None:
        record["members"] = studio.member_count
    record["achievements"] = [_achievement(a) for a in studio.achievements.all()]
    record["alliances"] = [page.title for page in studio.alliances.all()]
    return record


def _achievement(achievement):
    item = {"title": achievement.title, "kind": achievement.kind}
    if achievement.year is not None:
        item["year"] = achievement.year
    item["summary"] = achievement.summary
    if achievement.benefit_wan_yuan is not None:
        benefit = achievement.benefit_wan_yuan
        item["benefit_wan_yuan"] = (
            int(benefit) if benefit == int(benefit) else float(benefit)
        )
    return item


def export_studios(*, handle, progress=None):
    count = 0
    for record in studio_records():
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
        if progress:
            progress(1)
    return count
