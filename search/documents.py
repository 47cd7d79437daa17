"""What the index holds for a studio: its metadata and its pieces of evidence.

Expert-finding work (Balog et al., TREC Enterprise) ranks a candidate's
individual evidence and aggregates per candidate; so a studio is indexed as
its profile, its tags, each achievement and each member's skills, plus the
evidence that apps above the engine add (`add_studio_evidence`: problems adds
each public problem a studio solved). Apps above also supply the other
collection, public problems for the public search box (`set_problem_source`):
the engine never imports them.
"""

from collections import defaultdict

from studios.models import Achievement, Studio, StudioMember, StudioTag

from .encoders import content_hash
from .text import tokens


def evidence(kind, ref, label, text, known_tokens=None, **extra):
    digest = content_hash(text)
    cached = (known_tokens or {}).get(digest)
    return {
        "kind": kind,
        "ref": ref,
        "label": label,
        "text": text,
        "hash": digest,
        "tokens": cached if cached is not None else " ".join(tokens(text)),
        **extra,
    }


# Evidence that apps above the engine add to studio documents:
# source(studio_ids, known_tokens) -> {studio id: [evidence(...)]}.
_studio_evidence_sources = []


def add_studio_evidence(source):
    """Register a source of extra studio evidence (idempotent)."""
    if source not in _studio_evidence_sources:
        _studio_evidence_sources.append(source)
    return source


def studio_documents(studio_ids, known_tokens=None):
    """Documents for these studios, built from plain rows in a few queries.

    ``known_tokens`` maps text hashes to tokens already computed (the stored
    documents): an unchanged text is not segmented again.
    """
    studio_ids = list(studio_ids)
    rows = Studio.objects.filter(pk__in=studio_ids).values(
        "pk",
        "slug",
        "name",
        "expertise",
        "level",
        "enterprise__name",
        "industry_chain__name",
        "district__name",
    )
    tags, achievements, members, alliances, extra = (
        defaultdict(list) for _ in range(5)
    )
    for source in _studio_evidence_sources:
        for studio_id, items in source(studio_ids, known_tokens).items():
            extra[studio_id].extend(items)
    for studio_id, name in (
        StudioTag.objects.filter(content_object_id__in=studio_ids)
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    ):
        tags[studio_id].append(name)
    for row in (
        Achievement.objects.filter(studio_id__in=studio_ids)
        .order_by("sort_order", "pk")
        .values("studio_id", "pk", "title", "summary", "year", "kind")
    ):
        achievements[row["studio_id"]].append(row)
    for row in (
        StudioMember.objects.filter(studio_id__in=studio_ids)
        .exclude(craftsman__skills="")
        .values("studio_id", "craftsman_id", "craftsman__name", "craftsman__skills")
    ):
        members[row["studio_id"]].append(row)
    for studio_id, title in Studio.alliances.through.objects.filter(
        studio_id__in=studio_ids, alliancepage__live=True
    ).values_list("studio_id", "alliancepage__title"):
        alliances[studio_id].append(title)
    return [
        _document(
            row,
            tags[row["pk"]],
            achievements[row["pk"]],
            members[row["pk"]],
            alliances[row["pk"]],
            known_tokens,
            extra[row["pk"]],
        )
        for row in rows
    ]


def _document(row, tags, achievements, members, alliances, known_tokens, extra=()):
    items = [
        evidence(
            "profile",
            row["slug"],
            row["name"],
            f"{row['name']}。{row['expertise']}",
            known_tokens,
        )
    ]
    if tags:
        items.append(
            evidence(
                "tags", row["slug"], "、".join(tags), "、".join(tags), known_tokens
            )
        )
    for a in achievements:
        items.append(
            evidence(
                "achievement",
                a["pk"],
                a["title"],
                f"{a['title']}。{a['summary']}",
                known_tokens,
                year=a["year"],
                achievement_kind=a["kind"],
            )
        )
    for m in members:
        items.append(
            evidence(
                "member",
                m["craftsman_id"],
                m["craftsman__name"],
                f"{m['craftsman__name']}：{m['craftsman__skills']}",
                known_tokens,
            )
        )
    items.extend(extra)
    return {
        "studio_id": row["pk"],
        "slug": row["slug"],
        "name": row["name"],
        "enterprise": row["enterprise__name"],
        "industry_chain": row["industry_chain__name"],
        "district": row["district__name"] or "",
        "level": row["level"],
        "alliances": sorted(alliances),
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


class ProblemSource:
    """The public problems the search box finds, as the app that owns them
    says (registered with `set_problem_source`). Without one, none."""

    def searchable(self, problem_ids=None):
        """Ids (ascending) of the problems everyone may find, of these."""
        return []

    def documents(self, problem_ids, known_tokens=None):
        """Documents of the searchable ones of these problems: ``problem_id``,
        ``title``, ``enterprise``, ``industry_chain``, ``district``,
        ``alliances``, ``tags``, ``status``, ``year`` and one ``evidence``."""
        return []

    def with_words(self, words, *, limit):
        """Ids of the searchable problems whose text contains one of these
        words, newest first (the public search when the engine is down)."""
        return []

    def status_label(self, status):
        return status


_problem_source = ProblemSource()


def set_problem_source(source):
    global _problem_source
    _problem_source = source


def problem_source():
    return _problem_source
