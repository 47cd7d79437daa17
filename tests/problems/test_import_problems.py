import io

import pytest
from django.core.management import CommandError, call_command

from problems.models import Problem, Status
from tests.support import DEMO

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(
        "import_problems", *args, "--no-progress", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue().strip()


def test_import_is_idempotent_and_problems_are_published_and_matched(
    demo_studios, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0
    from search.indexing import index_studios
    from studios.models import Studio

    index_studios(studio_ids=Studio.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert run(str(DEMO / "problems.jsonl")) == (
            "created 14, updated 0, unchanged 0, rejected 0"
        )
    assert run(str(DEMO / "problems.jsonl")) == (
        "created 0, updated 0, unchanged 14, rejected 0"
    )
    assert Problem.objects.count() == 14
    problem = Problem.objects.get(external_id="p-qdbeer-cap-defects")
    assert problem.status == Status.MATCHED
    assert problem.matches.count() == 10
    assert {"瓶盖", "错盖"} <= set(problem.tags.names())


def test_a_bad_line_names_file_line_and_field(write_jsonl):
    path = write_jsonl(
        [
            {"id": "p-ok", "title": "t", "enterprise": "e", "description": "d"},
            {"id": "P BAD", "title": "t"},
        ]
    )
    with pytest.raises(CommandError, match="1 line"):
        run(str(path))
    assert list(Problem.objects.values_list("external_id", flat=True)) == ["p-ok"]
    with pytest.raises(CommandError, match="nothing was imported"):
        run(str(path), "--atomic")
