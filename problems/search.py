"""What the search engine holds of problems, decided here: the engine in
search/ knows documents, backends and ranking, never problems.

- Public problems (public, published, not merged: `Problem.objects.public()`)
  are the documents of the public search box; no other problem is ever
  indexed, so the box cannot leak one.
- A public problem a studio solved (outcome verified by union staff) is a
  piece of that studio's evidence; a confidential one never is, since its
  words would show in reasons and snippets.
- The receivers below schedule re-indexing after every change that alters
  what an entry says (core loads this module at start-up).
"""

from collections import defaultdict

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.snippets import District, IndustryChain
from organisations.models import Enterprise
from search.documents import (
    ProblemSource,
    add_studio_evidence,
    evidence,
    set_problem_source,
)
from search.tasks import m2m_changed_ids, schedule_index, schedule_problem_index
from studios.models import AlliancePage

from .models import TEXT_FIELDS, Outcome, Problem, ProblemTag, Status
from .selectors import containing

SOLVED_TEXT_CHARS = 400  # the encoder costs ~1 ms per token


def solved_problem_evidence(studio_ids, known_tokens=None):
    """{studio id: [evidence]} of the public problems these studios solved."""
    solved = defaultdict(list)
    for row in (
        Outcome.objects.filter(
            studio_id__in=studio_ids,
            verified_at__isnull=False,
            result__in=Status.SOLVED_RESULTS,
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
        text = f"{row['problem__title']}。{row['problem__description']}。"
        solved[row["studio_id"]].append(
            evidence(
                "solved_problem",
                row["problem_id"],
                row["problem__title"],
                (text + row["solution"])[:SOLVED_TEXT_CHARS],
                known_tokens,
                year=row["verified_at"].year,
            )
        )
    return solved


class PublicProblems(ProblemSource):
    def searchable(self, problem_ids=None):
        problems = Problem.objects.public().order_by("pk")
        if problem_ids is not None:
            problems = problems.filter(pk__in=list(problem_ids))
        return list(problems.values_list("pk", flat=True))

    def documents(self, problem_ids, known_tokens=None):
        problem_ids = list(problem_ids)
        rows = (
            Problem.objects.public()
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
        return [
            _document(row, tags[row["pk"]], alliances[row["pk"]], known_tokens)
            for row in rows
        ]

    def with_words(self, words, *, limit):
        # The same rule as the index (public problems), read in the database.
        problems = Problem.objects.public().filter(containing(words))
        return list(
            problems.order_by("-created_at", "-pk").values_list("pk", flat=True)[:limit]
        )

    def status_label(self, status):
        return Status(status).label


def _document(row, tags, alliances, known_tokens):
    text = "\n".join(row[f] for f in TEXT_FIELDS if row[f])
    words = "、".join(tags)
    return {
        "problem_id": row["pk"],
        "title": row["title"],
        "enterprise": row["enterprise__name"],
        "industry_chain": row["industry_chain__name"] or "",
        "district": row["enterprise__district__name"] or "",
        "alliances": sorted(alliances),
        "tags": tags,
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


add_studio_evidence(solved_problem_evidence)
set_problem_source(PublicProblems())


# --- keeping the index true ---------------------------------------------------


@receiver([post_save, post_delete], sender=Problem)
def problem_changed(sender, instance, **kwargs):
    schedule_problem_index([instance.pk])
    if instance.status not in Status.WITH_OUTCOME:
        return  # no outcome yet: no studio's evidence to refresh
    studio_id = (
        Outcome.objects.filter(problem_id=instance.pk)
        .values_list("studio_id", flat=True)
        .first()
    )
    if studio_id:
        schedule_index([studio_id])


@receiver([post_save, post_delete], sender=ProblemTag)
def problem_tag_changed(sender, instance, **kwargs):
    schedule_problem_index([instance.content_object_id])


@receiver(m2m_changed, sender=Problem.alliances.through)
def problem_alliances_changed(sender, instance, action, pk_set, **kwargs):
    schedule_problem_index(m2m_changed_ids(Problem, instance, action, pk_set))


@receiver([post_save, post_delete], sender=Outcome)
def outcome_changed(sender, instance, **kwargs):
    schedule_index([instance.studio_id])


@receiver(post_save, sender=AlliancePage)
def alliance_changed(sender, instance, **kwargs):
    schedule_problem_index(instance.problems.values_list("pk", flat=True))


NAMED_BY = {
    IndustryChain: "industry_chain",
    District: "enterprise__district",
    Enterprise: "enterprise",
}


@receiver(post_save, sender=IndustryChain)
@receiver(post_save, sender=District)
@receiver(post_save, sender=Enterprise)
def name_changed(sender, instance, **kwargs):
    problems = Problem.objects.filter(**{NAMED_BY[sender]: instance})
    schedule_problem_index(problems.values_list("pk", flat=True))
