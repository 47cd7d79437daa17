"""What the index holds for a studio: its metadata and its pieces of evidence.

Expert-finding work (Balog et al., TREC Enterprise) ranks a candidate's
individual evidence and aggregates per candidate; so a studio is indexed as
its profile, its tags, each achievement, each member's skills and each
public problem it solved (verified). Public problems are indexed too, for the
public search box.
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
    tags, achievements, members, alliances = (defaultdict(list) for _ in range(4))
    solved = solved_problems(studio_ids)
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
            solved[row["pk"]],
        )
        for row in rows
    ]


SOLVED_TEXT_CHARS = 400  # the encoder costs ~1 ms per token


def solved_problems(studio_ids):
    """{studio id: [row]} of the public problems these studios solved, as
    verified by union staff. A confidential problem never becomes evidence:
    its words would show in reasons and snippets."""
    from problems.models import SOLVED_RESULTS, Outcome, Problem

    solved = defaultdict(list)
    for row in (
        Outcome.objects.filter(
            studio_id__in=studio_ids,
            verified_at__isnull=False,
            result__in=SOLVED_RESULTS,
            problem__in=Problem.objects.public().values("pk"),
        )
        .order_by("problem_id")
        .values(
            "studio_id",
            "problem_id",
            "problem__title",
            "problem__description",
            "solution",
            "verified_at",
        )
    ):
        solved[row["studio_id"]].append(row)
    return solved


def _document(row, tags, achievements, members, alliances, known_tokens, solved=()):
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
    for p in solved:
        text = f"{p['problem__title']}。{p['problem__description']}。{p['solution']}"
        items.append(
            evidence(
                "solved_problem",
                p["problem_id"],
                p["problem__title"],
                text[:SOLVED_TEXT_CHARS],
                known_tokens,
                year=p["verified_at"].year,
            )
        )
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


def searchable_problems():
    """Problems everyone may read in full: public, published and not merged.

    Only these enter the index; alliance and invited problems never do, so
    the public search box cannot leak them."""
    from problems.models import Problem

    return Problem.objects.public()


def problem_documents(problem_ids, known_tokens=None):
    """Documents of the searchable ones of these problems."""
    from problems.models import TEXT_FIELDS, Problem, ProblemTag

    problem_ids = list(problem_ids)
    rows = (
        searchable_problems()
        .filter(pk__in=problem_ids)
        .values(
            "pk",
            *TEXT_FIELDS,
            "status",
            "created_at",
            "enterprise__name",
            "enterprise__district__name",
            "industry_chain__name",
        )
    )
    tags, alliances = defaultdict(list), defaultdict(set)
    for problem_id, name in (
        ProblemTag.objects.filter(content_object_id__in=problem_ids)
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    ):
        tags[problem_id].append(name)
    for problem_id, title in Problem.alliances.through.objects.filter(
        problem_id__in=problem_ids, alliancepage__live=True
    ).values_list("problem_id", "alliancepage__title"):
        alliances[problem_id].add(title)
    documents = []
    for row in rows:
        text = "\n".join(row[f] for f in TEXT_FIELDS if row[f])
        words = "、".join(tags[row["pk"]])
        documents.append(
            {
                "problem_id": row["pk"],
                "title": row["title"],
                "enterprise": row["enterprise__name"],
                "industry_chain": row["industry_chain__name"] or "",
                "district": row["enterprise__district__name"] or "",
                "alliances": sorted(alliances[row["pk"]]),
                "tags": tags[row["pk"]],
                "status": row["status"],
                "year": row["created_at"].year,
                "evidence": [
                    evidence(
                        "problem",
                        row["pk"],
                        row["title"],
                        f"{text}\n{words}" if words else text,
                        known_tokens,
                    )
                ],
            }
        )
    return documents
