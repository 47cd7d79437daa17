"""What the index holds for a studio: its metadata and its pieces of evidence.

Expert-finding work (Balog et al., TREC Enterprise) ranks a candidate's
individual evidence and aggregates per candidate; so a studio is indexed as
its profile, its tags, each achievement and each member's skills.
"""

from django.db.models import Prefetch

from studios.models import Achievement, AlliancePage, Studio, StudioMember

from .encoders import content_hash
from .text import tokens


def studios_for_index():
    return Studio.objects.select_related(
        "enterprise", "industry_chain", "district"
    ).prefetch_related(
        "tags",
        Prefetch("alliances", queryset=AlliancePage.objects.live()),
        Prefetch("achievements", queryset=Achievement.objects.order_by("sort_order")),
        Prefetch("members", queryset=StudioMember.objects.select_related("craftsman")),
    )


def evidence(kind, ref, label, text, **extra):
    return {
        "kind": kind,
        "ref": ref,
        "label": label,
        "text": text,
        "hash": content_hash(text),
        "tokens": " ".join(tokens(text)),
        **extra,
    }


def studio_document(studio):
    tags = [t.name for t in studio.tags.all()]
    items = [
        evidence(
            "profile", studio.slug, studio.name, f"{studio.name}。{studio.expertise}"
        ),
    ]
    if tags:
        items.append(evidence("tags", studio.slug, "、".join(tags), "、".join(tags)))
    for achievement in studio.achievements.all():
        items.append(
            evidence(
                "achievement",
                achievement.pk,
                achievement.title,
                f"{achievement.title}。{achievement.summary}",
                year=achievement.year,
                achievement_kind=achievement.kind,
            )
        )
    for member in studio.members.all():
        craftsman = member.craftsman
        if craftsman.skills:
            items.append(
                evidence(
                    "member",
                    craftsman.pk,
                    craftsman.name,
                    f"{craftsman.name}：{craftsman.skills}",
                )
            )
    alliances = list(studio.alliances.all())
    return {
        "studio_id": studio.pk,
        "slug": studio.slug,
        "name": studio.name,
        "enterprise": studio.enterprise.name,
        "industry_chain": studio.industry_chain.name,
        "district": studio.district.name if studio.district else "",
        "level": studio.level,
        "alliances": [a.title for a in alliances],
        "tags": tags,
        "evidence": items,
    }


def document_from_record(record):
    """The same document, built from an interchange-format studio record
    (used by evaluate_matching and match on throw-away indexes)."""
    tags = record.get("tags") or []
    items = [
        evidence(
            "profile",
            record["id"],
            record["name"],
            f"{record['name']}。{record['expertise']}",
        )
    ]
    if tags:
        items.append(evidence("tags", record["id"], "、".join(tags), "、".join(tags)))
    for n, achievement in enumerate(record.get("achievements") or []):
        items.append(
            evidence(
                "achievement",
                n,
                achievement["title"],
                f"{achievement['title']}。{achievement.get('summary') or ''}",
                year=achievement.get("year"),
                achievement_kind=achievement["kind"],
            )
        )
    return {
        "studio_id": record["id"],
        "slug": record["id"],
        "name": record["name"],
        "enterprise": record["enterprise"],
        "industry_chain": record["industry_chain"],
        "district": record.get("district") or "",
        "level": record.get("level") or "",
        "alliances": record.get("alliances") or [],
        "tags": tags,
        "evidence": items,
    }
