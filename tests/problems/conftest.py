"""Fixtures for the problem board's tests."""

import pytest

from tests.factories import make_cast


@pytest.fixture
def indexed_cast(commit):
    """The cast (see tests.factories.make_cast), its studios indexed as they
    are when their rows commit: for tests that match or search."""
    with commit():
        return make_cast()
