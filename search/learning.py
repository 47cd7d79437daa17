"""Fusion weights refit from staff decisions (issue 13, item 5).

Staff confirm, dismiss and accept matches every day; ``problems.feedback``
turns those decisions into graded judgments. ``refit`` replays the first
stage of every judged problem once and picks, from a small grid, the RRF
weights of words and meaning that rank the judged studios best (nDCG@5, gain
2^g − 1). The result is stored as one ``LearnedFusion`` row per refit; the
newest is used when ``settings.SEARCH_LEARNED_FUSION`` is on.

With fewer than ``MIN_PROBLEMS`` judged problems the defaults stay: a handful
of decisions says nothing general. Ties go to the weights closest to the
defaults, so the grid never drifts on noise.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .matching import DEFAULT_FUSION, Fusion, Signals, first_stage, fuse
from .models import LearnedFusion

SEMANTIC_WEIGHTS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)  # words weigh 1
RRF_KS = (10, 30, 60)
MIN_PROBLEMS = 20
GRID = [Fusion(1.0, w, k) for w in SEMANTIC_WEIGHTS for k in RRF_KS]


@dataclass
class Example:
    """One judged problem: a search.matching.Problem and {studio slug: grade}."""

    problem: object
    grades: dict
    query_vector: object = None


def ndcg(ranking, grades, k=5):
    def dcg(gains):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(s, 0) for s in ranking[:k]]) / ideal if ideal else 0.0


def candidate_lists(examples, *, backend, thesaurus=None):
    """The first stage of each example, computed once: [(lexical, semantic, grades)]."""
    signals = Signals()
    return [
        (
            *first_stage(
                e.problem,
                backend=backend,
                signals=signals,
                thesaurus=thesaurus or [],
                query_vector=e.query_vector,
            ),
            e.grades,
        )
        for e in examples
        if any(g > 0 for g in e.grades.values())
    ]


def score(fusion, lists):
    """Mean nDCG@5 of ``fusion`` over precomputed candidate lists."""
    if not lists:
        return 0.0
    return sum(
        ndcg([m.slug for m in fuse(lexical, semantic, fusion)], grades)
        for lexical, semantic, grades in lists
    ) / len(lists)


def _distance(fusion):
    """How far from the defaults (ties are broken towards them)."""
    return abs(math.log(fusion.semantic / DEFAULT_FUSION.semantic)) + abs(
        math.log(fusion.k / DEFAULT_FUSION.k)
    )


def fit(lists, *, min_problems=MIN_PROBLEMS):
    """(fusion, its score, the defaults' score) on these candidate lists;
    the defaults when there are too few judged problems."""
    baseline = score(DEFAULT_FUSION, lists)
    if len(lists) < min_problems:
        return DEFAULT_FUSION, baseline, baseline
    scored = [(score(f, lists), -_distance(f), f) for f in GRID]
    best_score, _, best = max(scored, key=lambda row: row[:2])
    if best_score <= baseline:
        return DEFAULT_FUSION, baseline, baseline
    return best, best_score, baseline


@transaction.atomic
def refit(*, examples, backend, thesaurus=None, min_problems=MIN_PROBLEMS):
    """Fit on ``examples`` and store the result; returns the LearnedFusion row."""
    lists = candidate_lists(examples, backend=backend, thesaurus=thesaurus)
    fusion, fitted, baseline = fit(lists, min_problems=min_problems)
    return LearnedFusion.objects.create(
        lexical_weight=fusion.lexical,
        semantic_weight=fusion.semantic,
        rrf_k=fusion.k,
        problems=len(lists),
        judgments=sum(len(grades) for *_, grades in lists),
        ndcg_default=round(baseline, 4),
        ndcg_fitted=round(fitted, 4),
    )


def current_fusion():
    """The fusion the platform matches with: the newest refit when
    SEARCH_LEARNED_FUSION is on, else the defaults."""
    if not settings.SEARCH_LEARNED_FUSION:
        return DEFAULT_FUSION
    row = LearnedFusion.objects.order_by("-fitted_at", "-pk").first()
    if row is None:
        return DEFAULT_FUSION
    return Fusion(row.lexical_weight, row.semantic_weight, row.rrf_k)
