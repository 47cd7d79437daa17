"""refit_matching: staff decisions on matches become the fusion weights the
platform may match with (search.learning)."""

import io

import pytest
from django.core.management import call_command

from search.learning import current_fusion
from search.matching import DEFAULT_FUSION
from search.models import LearnedFusion

pytestmark = pytest.mark.django_db


def refit(*args):
    out = io.StringIO()
    call_command("refit_matching", *args, stdout=out)
    return out.getvalue()


def test_without_decisions_the_defaults_are_stored(settings):
    assert refit().startswith("0 judged problems, 0 judgments: words 1, meaning 1.5")
    row = LearnedFusion.objects.get()
    assert (row.semantic_weight, row.rrf_k) == (DEFAULT_FUSION.semantic, 60)
    settings.SEARCH_LEARNED_FUSION = True
    assert current_fusion() == DEFAULT_FUSION


@pytest.mark.usefixtures("confirmed_match")
def test_decisions_are_read_as_judged_problems():
    assert refit("--min-problems", "0").startswith("1 judged problems, 1 judgments")
    # One problem is far below the default minimum: the defaults stay.
    refit()
    newest = LearnedFusion.objects.first()
    assert (newest.problems, newest.semantic_weight) == (1, DEFAULT_FUSION.semantic)
