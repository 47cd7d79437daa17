"""Decisions on matches are kept as judgments that evaluate_matching can use."""

import io
import json

import pytest
from django.core.management import call_command

from problems import services
from problems.models import Decision
from tests.factories import published

pytestmark = pytest.mark.django_db


def test_decisions_become_qrels_that_evaluate_matching_reads(
    indexed_cast, confirmed_match, tmp_path
):
    problem, matches = confirmed_match
    services.decide_match(
        suggestion=matches["s-other"],
        user=indexed_cast["a"],
        decision="dismissed",
        reason="煤矿输送带与瓶盖无关",
    )
    services.invite_studios(
        problem=problem,
        user=indexed_cast["staff"],
        studios=[indexed_cast["studios"]["vision"]],
    )
    proposal = services.submit_proposal(
        problem=problem, user=indexed_cast["vision"], text="视觉剔除", estimated_days=20
    )
    services.accept_proposal(proposal=proposal, user=indexed_cast["a"])
    assert (
        matches["s-other"].__class__.objects.get(pk=matches["s-other"].pk).decision
        == Decision.DISMISSED
    )

    out = io.StringIO()
    call_command("export_match_feedback", str(tmp_path), stdout=out)
    assert out.getvalue().startswith("1 problems, 3 judgments, 3 studios")
    assert (tmp_path / "qrels.tsv").read_text().splitlines() == [
        f"p-{problem.pk}\ts-bottling\t2",
        f"p-{problem.pk}\ts-other\t0",
        f"p-{problem.pk}\ts-vision\t3",
    ]
    [record] = [
        json.loads(line)
        for line in (tmp_path / "problems.jsonl").read_text().splitlines()
    ]
    assert record["id"] == f"p-{problem.pk}" and record["title"] == problem.title

    scores = io.StringIO()
    call_command(
        "evaluate_matching", str(tmp_path), "--json", "--no-progress", stdout=scores
    )
    [result] = json.loads(scores.getvalue())
    assert result["problems"] == 1 and 0 < result["ndcg@5"] <= 1


def test_public_only_leaves_confidential_problems_out(
    indexed_cast, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = published(indexed_cast)  # invited-only by default in these tests
    first = problem.matches.first()
    services.decide_match(
        suggestion=first, user=indexed_cast["staff"], decision="confirmed"
    )
    call_command(
        "export_match_feedback", str(tmp_path), "--public-only", stdout=io.StringIO()
    )
    assert (tmp_path / "problems.jsonl").read_text() == ""
    assert (tmp_path / "qrels.tsv").read_text() == ""
