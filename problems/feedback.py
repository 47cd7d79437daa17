"""Staff decisions on matches, kept as relevance judgments (qrels) in the
interchange format, so `evaluate_matching` can measure the engine against what
union staff and enterprises actually decided.

Grades: 3 — the studio's proposal was accepted, or it solved the problem
(verified); 2 — staff or the enterprise confirmed the match; 0 — dismissed
(listed explicitly, with the reason kept in the database).
"""

import json
from pathlib import Path

from studios.services.exporting import export_studios

from .models import Decision, MatchSuggestion, Outcome, Problem, Proposal, Status


def problem_key(problem):
    return problem.external_id or f"p-{problem.pk}"


def judgments():
    """{(problem, studio slug): grade} from decisions, acceptances, outcomes."""
    grades = {}

    def grade(problem, slug, value):
        key = (problem, slug)
        grades[key] = max(grades.get(key, value), value)

    for m in MatchSuggestion.objects.exclude(decision=Decision.PENDING).select_related(
        "problem", "studio"
    ):
        grade(m.problem, m.studio.slug, 2 if m.decision == Decision.CONFIRMED else 0)
    for p in Proposal.objects.filter(state=Proposal.State.ACCEPTED).select_related(
        "problem", "studio"
    ):
        grade(p.problem, p.studio.slug, 3)
    for o in Outcome.objects.filter(
        verified_at__isnull=False, result__in=Status.SOLVED_RESULTS
    ).select_related("problem", "studio"):
        grade(o.problem, o.studio.slug, 3)
    return grades


def problem_record(problem):
    record = {
        "id": problem_key(problem),
        "title": problem.title,
        "enterprise": problem.enterprise.name,
        "description": "\n".join(
            part
            for part in (
                problem.description,
                problem.symptoms,
                problem.tried,
                problem.expected_outcome,
            )
            if part
        ),
        "tags": sorted(problem.tags.names()),
    }
    if problem.industry_chain_id:
        record["industry_chain"] = problem.industry_chain.name
    return record


def export_feedback(directory, *, public_only=False):
    """Write studios.jsonl, problems.jsonl and qrels.tsv; returns the counts."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    grades = judgments()
    problems = {problem for problem, _ in grades}
    if public_only:
        problems = {p for p in problems if p.confidentiality == "public"}
    problems = sorted(problems, key=lambda p: p.pk)
    with open(folder / "studios.jsonl", "w", encoding="utf-8") as handle:
        studios = export_studios(handle=handle)
    with open(folder / "problems.jsonl", "w", encoding="utf-8") as handle:
        for problem in Problem.objects.filter(
            pk__in=[p.pk for p in problems]
        ).select_related("enterprise", "industry_chain"):
            handle.write(json.dumps(problem_record(problem), ensure_ascii=False) + "\n")
    kept = {p.pk for p in problems}
    lines = sorted(
        f"{problem_key(problem)}\t{slug}\t{grade}"
        for (problem, slug), grade in grades.items()
        if problem.pk in kept
    )
    (folder / "qrels.tsv").write_text(
        "".join(f"{line}\n" for line in lines), encoding="utf-8"
    )
    return {"studios": studios, "problems": len(problems), "judgments": len(lines)}
