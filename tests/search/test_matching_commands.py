"""evaluate_matching and match, as a person runs them on interchange files."""

import io
import json
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from tests.support import DEMO

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_evaluate_matching_on_the_sample_set_meets_the_targets():
    results = json.loads(run("evaluate_matching", str(DEMO), "--json", "--no-progress"))
    (scores,) = results
    assert scores["problems"] == 14
    assert scores["ndcg@5"] >= 0.90
    assert scores["recall@10"] >= 0.95
    assert scores["matches_without_reason"] == 0


def test_match_prints_one_line_per_problem_with_reasons():
    lines = run(
        "match",
        str(DEMO / "problems.jsonl"),
        "--studios",
        str(DEMO / "studios.jsonl"),
        "--top",
        "5",
    ).splitlines()
    problems = [
        json.loads(line)["id"]
        for line in (DEMO / "problems.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [json.loads(line)["problem"] for line in lines] == problems
    for line in lines:
        matches = json.loads(line)["matches"]
        assert len(matches) == 5
        assert [m["score"] for m in matches] == sorted(
            (m["score"] for m in matches), reverse=True
        )
        assert all(
            m["reasons"] and all(isinstance(r, str) for r in m["reasons"])
            for m in matches
        )


def test_match_prints_each_problems_time_to_stderr():
    err = io.StringIO()
    call_command(
        "match",
        str(DEMO / "problems.jsonl"),
        "--studios",
        str(DEMO / "studios.jsonl"),
        "--no-encode",
        "--no-progress",
        stdout=io.StringIO(),
        stderr=err,
    )
    timed = re.findall(r"^(\S+): (\d+) ms$", err.getvalue(), re.MULTILINE)
    problems = [
        json.loads(line)["id"]
        for line in (DEMO / "problems.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [problem for problem, _ in timed] == problems


def test_match_against_the_platform_index(
    demo_studios, django_capture_on_commit_callbacks
):
    from search.indexing import index_studios
    from studios.models import Studio

    index_studios(studio_ids=Studio.objects.values_list("pk", flat=True))
    first = json.loads(run("match", str(DEMO / "problems.jsonl")).splitlines()[0])
    assert first["problem"] == "p-qdbeer-cap-defects"
    assert first["matches"][0]["studio"] in {"s-bjcig-vision", "s-xifeng-bottling"}


def test_bad_problem_file_names_file_and_line(tmp_path):
    path = tmp_path / "problems.jsonl"
    path.write_text(
        '{"id": "p-ok", "title": "t", "enterprise": "e", '
        '"description": "d"}\n{"id": "p-bad", "title": 3}\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=f"{path}:2: title: must be a string"):
        run("match", str(path))


def test_evaluate_matching_needs_all_three_files(tmp_path):
    shutil.copy(DEMO / "studios.jsonl", tmp_path)
    with pytest.raises(CommandError, match="problems.jsonl: no such file"):
        run("evaluate_matching", str(tmp_path))
