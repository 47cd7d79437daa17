"""Fixtures for the problem board's tests."""

import pytest

from problems import services
from problems.models import Decision
from tests.factories import make_cast, published


@pytest.fixture
def indexed_cast(commit):
    """The cast (see tests.factories.make_cast), its studios indexed as they
    are when their rows commit: for tests that match or search."""
    with commit():
        return make_cast()


@pytest.fixture
def confirmed_match(indexed_cast, django_capture_on_commit_callbacks):
    """The cast's problem published and matched, union staff confirming the
    bottling studio: the problem and its matches by studio slug."""
    with django_capture_on_commit_callbacks(execute=True):
        problem = published(indexed_cast)
    matches = {m.studio.slug: m for m in problem.matches.all()}
    services.decide_match(
        suggestion=matches["s-bottling"],
        user=indexed_cast["staff"],
        decision=Decision.CONFIRMED,
    )
    return problem, matches
