"""Fusion weights refit from staff decisions (search.learning): the refit
moves towards the signal that ranked the decided studios, and without enough
feedback the defaults stay."""

import pytest

from search import learning
from search.backends.base import StudioHit
from search.matching import DEFAULT_FUSION, fuse
from tests.factories import LearnedFusionFactory


def hits(order, signal):
    return [
        StudioHit(slug, 1.0 / rank, {"slug": slug, "name": slug}, [], signal)
        for rank, slug in enumerate(order, 1)
    ]


WORDS = [f"s-words-{n}" for n in range(12)]  # found by one signal only
MEANING = [f"s-meaning-{n}" for n in range(12)]


def decided(lexical_order, semantic_order, grades, copies=3):
    """``copies`` judged problems whose two candidate lists are given."""
    return [
        (hits(lexical_order, "lexical"), hits(semantic_order, "semantic"), grades)
        for _ in range(copies)
    ]


# Staff accepted s-right, which words rank first and meaning ranks 10th;
# meaning's favourite s-wrong was dismissed.
WORDS_WERE_RIGHT = decided(
    ["s-right", *WORDS[:3], "s-wrong", *WORDS[3:]],
    ["s-wrong", *MEANING[:8], "s-right", *MEANING[8:]],
    {"s-right": 3, "s-wrong": 0},
)
MEANING_WAS_RIGHT = decided(
    ["s-wrong", *WORDS[:8], "s-right", *WORDS[8:]],
    ["s-right", *MEANING[:3], "s-wrong", *MEANING[3:]],
    {"s-right": 3, "s-wrong": 0},
)


def first(lists, fusion):
    lexical, semantic, _ = lists[0]
    return fuse(lexical, semantic, fusion)[0].slug


@pytest.mark.parametrize(
    "lists, meaning_weighs",
    [(WORDS_WERE_RIGHT, "less"), (MEANING_WAS_RIGHT, "more")],
)
def test_refit_moves_the_weights_towards_the_signal_staff_agreed_with(
    lists, meaning_weighs
):
    assert first(lists, DEFAULT_FUSION) == "s-wrong"  # the defaults get it wrong
    fusion, fitted, baseline = learning.fit(lists, min_problems=1)
    ratio = fusion.semantic / fusion.lexical
    default_ratio = DEFAULT_FUSION.semantic / DEFAULT_FUSION.lexical
    if meaning_weighs == "less":
        assert ratio < default_ratio
    else:
        assert ratio > default_ratio
    assert first(lists, fusion) == "s-right"
    assert fitted > baseline


def test_too_few_judged_problems_keep_the_defaults():
    fusion, fitted, baseline = learning.fit(WORDS_WERE_RIGHT, min_problems=20)
    assert fusion == DEFAULT_FUSION and fitted == baseline


def test_no_feedback_keeps_the_defaults():
    assert learning.fit([], min_problems=0)[0] == DEFAULT_FUSION


@pytest.mark.django_db
def test_the_platform_uses_the_newest_refit_only_when_switched_on(settings):
    settings.SEARCH_LEARNED_FUSION = True
    assert learning.current_fusion() == DEFAULT_FUSION  # never refit yet
    LearnedFusionFactory(semantic_weight=3.0, rrf_k=30)
    newest = LearnedFusionFactory(semantic_weight=0.5, rrf_k=10)
    assert learning.current_fusion() == learning.Fusion(newest.lexical_weight, 0.5, 10)
    settings.SEARCH_LEARNED_FUSION = False
    assert learning.current_fusion() == DEFAULT_FUSION
