"""Regression guard: the matcher on the hard, plant-floor sample set (demo/dev-hard,
a copy of the hand-written set: cross-industry transfers, plant words, lures).

The floors sit a little below the figures reached (README, ablation), so a
change that loses the right studio on these problems fails here."""

import io
import json

import pytest
from django.core.management import call_command

from tests.conftest import DEMO

pytestmark = pytest.mark.django_db


def test_evaluate_matching_on_the_hard_set_stays_above_its_floor():
    out = io.StringIO()
    call_command(
        "evaluate_matching",
        str(DEMO / "dev-hard"),
        "--json",
        "--no-progress",
        stdout=out,
        stderr=io.StringIO(),
    )
    (scores,) = json.loads(out.getvalue())
    assert scores["problems"] == 40
    assert scores["ndcg@5"] >= NDCG_FLOOR
    assert scores["recall@10"] >= RECALL_FLOOR
    assert scores["matches_without_reason"] == 0


NDCG_FLOOR = 0.70
RECALL_FLOOR = 0.75
