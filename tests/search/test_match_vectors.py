"""`manage.py match` right after an import ranks with sentence vectors: it
computes those the workers have not yet, and says so when told not to."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from search import indexing
from search.encoders import get_encoder
from tests.support import DEMO

pytestmark = pytest.mark.django_db
PENDING = "Matched on words only: its sentence vectors are not ready yet"


@pytest.fixture
def imported_without_vectors(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_ENCODER = "tests.core.encoders.HashEncoder"
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0  # as if no worker had run yet
    get_encoder.cache_clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_studios", str(DEMO / "studios.jsonl"), "--no-progress")
    assert indexing.pending_vectors() == 36
    yield
    get_encoder.cache_clear()


def match(*options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "match",
        str(DEMO / "problems.jsonl"),
        "--no-progress",
        *options,
        stdout=out,
        stderr=err,
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    reasons = [r for line in lines for m in line["matches"] for r in m["reasons"]]
    return reasons, err.getvalue()


def words_only(reasons):
    said = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            said.add(translation.gettext(PENDING))
    return [r for r in reasons if r in said]


def test_match_computes_the_missing_vectors_first(imported_without_vectors):
    reasons, err = match()
    assert indexing.pending_vectors() == 0
    assert reasons and not words_only(reasons)
    assert "words only" not in err


def test_no_encode_matches_by_words_and_says_so(imported_without_vectors):
    reasons, err = match("--no-encode")
    assert "--no-encode: 36 studios have no sentence vectors" in err
    assert indexing.pending_vectors() == 36
    assert words_only(reasons)
