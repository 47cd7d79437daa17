"""import_studios: idempotent bulk import of studios.jsonl.

Checking happens first, for every line; writing happens afterwards in one
transaction, in batches, so a failure leaves the database as it was.
In the default mode a bad line is rejected and reported while good lines are
imported; with ``atomic=True`` any bad line rejects the whole file.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from core.cache import invalidate_public_pages
from core.db import delete_rows, update_rows
from core.importing import checked_records
from core.snippets import District, IndustryChain
from organisations.models import Enterprise

from ..models import (
    Achievement,
    AllianceIndexPage,
    AlliancePage,
    Craftsman,
    Studio,
    StudioMember,
    StudioTag,
)
from ..signals import studios_imported
from .exporting import registered_achievements, studio_record, studios_for_export
from .studio_format import STUDIO

BATCH_SIZE = 500


def import_studios(*, path, atomic=False, progress=None):
    """Import studios from ``path``; returns an ImportReport."""
    records, report = checked_records(path, STUDIO)
    if atomic and report.errors:
        return report
    with transaction.atomic():
        lookups = _Lookups()
        for start in range(0, len(records), BATCH_SIZE):
            batch = records[start : start + BATCH_SIZE]
            _write_batch(batch, lookups, report)
            if progress:
                progress(len(batch))
        transaction.on_commit(invalidate_public_pages)
        # Sent inside the transaction: the search engine records its indexing
        # (then encoding) jobs with the studios (core.outbox), so a crash after
        # the commit loses none of them, however many studios there are.
        studios_imported.send(sender=Studio, studio_ids=sorted(set(report.ids)))
    return report


class _Lookups:
    """Names to rows for enterprises, chains, districts, alliances and tags."""

    def __init__(self):
        self.cache = {}

    def resolve(self, model, names, field_name="name"):
        known = self.cache.setdefault(model, {})
        wanted = {n for n in names if n and n not in known}
        if wanted:
            found = model.objects.filter(**{f"{field_name}__in": wanted})
            known.update({getattr(row, field_name): row for row in found})
            missing = [n for n in sorted(wanted) if n not in known]
            created = model.objects.bulk_create(
                [model(**{field_name: n}) for n in missing]
            )
            known.update({getattr(row, field_name): row for row in created})
        return known

    def alliances(self, names):
        known = self.cache.setdefault(AlliancePage, {})
        wanted = {n for n in names if n not in known}
        if wanted:
            for page in AlliancePage.objects.filter(title__in=wanted):
                known[page.title] = page
            index = AllianceIndexPage.objects.first()
            for name in sorted(wanted - known.keys()):
                page = AlliancePage(title=name, slug=slugify(name, allow_unicode=True))
                index.add_child(instance=page)
                known[name] = page
        return known

    def tags(self, names):
        """Tags matched case-insensitively, created when new."""
        known = self.cache.setdefault(Tag, {})
        missing = {}
        for name in (n.strip() for n in names):
            if name and name.lower() not in known:
                missing.setdefault(name.lower(), name)
        if missing:
            for tag in Tag.objects.filter(name__in=list(missing.values())):
                known[tag.name.lower()] = tag
            still = [n for key, n in sorted(missing.items()) if key not in known]
            if still:
                for tag in _existing_tags_iexact(still):
                    known[tag.name.lower()] = tag
                still = [n for n in still if n.lower() not in known]
                taken = set(
                    Tag.objects.filter(
                        slug__in=[_tag_slug(n) for n in still]
                    ).values_list("slug", flat=True)
                )
                new = []
                for name in still:
                    slug = _tag_slug(name)
                    while slug in taken:
                        slug = f"{slug}-1"
                    taken.add(slug)
                    new.append(Tag(name=name, slug=slug))
                for tag in Tag.objects.bulk_create(new):
                    known[tag.name.lower()] = tag
        return known


def _existing_tags_iexact(names):
    from django.db.models import Q

    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    return Tag.objects.filter(query)


def _tag_slug(name):
    return slugify(name, allow_unicode=True)[:100] or "tag"


def _without_unchanged(batch, report):
    """Drop records identical to what is stored: a re-import writes only changes."""
    stored = {
        s.slug: studio_record(s)
        for s in studios_for_export().filter(slug__in=[r["id"] for r in batch])
    }
    changed = [r for r in batch if _comparable(stored.get(r["id"])) != _comparable(r)]
    report.unchanged += len(batch) - len(changed)
    return changed


def _comparable(record):
    if record is None:
        return None
    return {**record, "alliances": sorted(record.get("alliances") or [])}


def _write_batch(batch, lookups, report):
    batch = _without_unchanged(batch, report)
    if not batch:
        return
    now = timezone.now()
    enterprises = lookups.resolve(Enterprise, [r["enterprise"] for r in batch])
    chains = lookups.resolve(IndustryChain, [r["industry_chain"] for r in batch])
    districts = lookups.resolve(District, [r.get("district") for r in batch])
    alliances = lookups.alliances(
        [name for r in batch for name in r.get("alliances") or []]
    )
    tags = lookups.tags([name for r in batch for name in r.get("tags") or []])

    existing = Studio.objects.in_bulk([r["id"] for r in batch], field_name="slug")
    studios, new, changed = [], [], []
    for record in batch:
        studio = existing.get(record["id"]) or Studio(
            slug=record["id"], live=True, first_published_at=now
        )
        studio.name = record["name"]
        studio.enterprise = enterprises[record["enterprise"]]
        studio.industry_chain = chains[record["industry_chain"]]
        studio.district = districts.get(record.get("district"))
        studio.level = record.get("level") or ""
        studio.member_count = record.get("members")
        studio.expertise = record["expertise"]
        studio.last_published_at = now
        studio.updated_at = now
        (changed if studio.pk else new).append(studio)
        studios.append(studio)
    Studio.objects.bulk_create(new)
    update_rows(Studio, changed, _STUDIO_FIELDS)
    report.created += len(new)
    report.updated += len(changed)
    report.ids += [s.pk for s in studios]

    changed_ids = [s.pk for s in changed]
    # Link rows go without a signal each: studios_imported announces them all.
    delete_rows(StudioTag.objects.filter(content_object_id__in=changed_ids))
    StudioTag.objects.bulk_create(
        [
            StudioTag(content_object=studio, tag=tags[name.strip().lower()])
            for studio, record in zip(studios, batch, strict=True)
            for name in _unique_ci(record.get("tags") or [])
        ]
    )
    through = Studio.alliances.through
    delete_rows(through.objects.filter(studio_id__in=changed_ids))
    through.objects.bulk_create(
        [
            through(studio_id=studio.pk, alliancepage_id=alliances[name].pk)
            for studio, record in zip(studios, batch, strict=True)
            for name in dict.fromkeys(record.get("alliances") or [])
        ]
    )
    _write_leaders(studios, batch, changed_ids)
    _write_achievements(studios, batch, changed_ids)


_ACHIEVEMENT_FIELDS = ["kind", "year", "summary", "benefit_wan_yuan", "sort_order"]
_STUDIO_FIELDS = [
    "name",
    "enterprise",
    "industry_chain",
    "district",
    "level",
    "member_count",
    "expertise",
    "last_published_at",
    "updated_at",
]


def _unique_ci(names):
    seen = {}
    for name in names:
        seen.setdefault(name.strip().lower(), name)
    return [n for n in seen.values() if n.strip()]


def _write_leaders(studios, batch, changed_ids):
    """The leader keeps the same craftsman row (and page) when the name is unchanged."""
    current = {
        m.studio_id: m
        for m in StudioMember.objects.filter(
            studio_id__in=changed_ids, role=StudioMember.Role.LEADER
        ).select_related("craftsman")
    }
    keep, drop, new_people, new_members = [], [], [], []
    for studio, record in zip(studios, batch, strict=True):
        leader = record.get("leader")
        member = current.get(studio.pk)
        if member and leader and member.craftsman.name == leader["name"]:
            member.craftsman.titles = "、".join(leader.get("titles") or [])
            keep.append(member.craftsman)
            continue
        if member:
            drop.append(member.pk)
        if leader:
            craftsman = Craftsman(
                name=leader["name"], titles="、".join(leader.get("titles") or [])
            )
            new_people.append(craftsman)
            new_members.append(
                StudioMember(
                    studio=studio,
                    craftsman=craftsman,
                    role=StudioMember.Role.LEADER,
                    sort_order=0,
                )
            )
    StudioMember.objects.filter(pk__in=drop).delete()
    update_rows(Craftsman, keep, ["titles"])
    Craftsman.objects.bulk_create(new_people)
    for member in new_members:
        member.craftsman_id = member.craftsman.pk
    StudioMember.objects.bulk_create(new_members)


def _write_achievements(studios, batch, changed_ids):
    """Achievements are matched by title, so their pages keep their address."""
    current = {}
    for achievement in registered_achievements().filter(studio_id__in=changed_ids):
        current[(achievement.studio_id, achievement.title)] = achievement
    create, update = [], []
    for studio, record in zip(studios, batch, strict=True):
        for order, item in enumerate(record.get("achievements") or []):
            achievement = current.pop((studio.pk, item["title"]), None) or Achievement(
                studio=studio, title=item["title"]
            )
            achievement.kind = item["kind"]
            achievement.year = item.get("year")
            achievement.summary = item.get("summary") or ""
            benefit = item.get("benefit_wan_yuan")
            achievement.benefit_wan_yuan = (
                None if benefit is None else Decimal(str(benefit))
            )
            achievement.sort_order = order
            (update if achievement.pk else create).append(achievement)
    Achievement.objects.filter(pk__in=[a.pk for a in current.values()]).delete()
    update_rows(Achievement, update, _ACHIEVEMENT_FIELDS)
    Achievement.objects.bulk_create(create)
