"""Matches on the problem page: the problem's words that the studio's
evidence shares are marked in the reasons; the markup is escaped otherwise."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_cast, published

pytestmark = pytest.mark.django_db


def test_shared_words_are_marked_in_the_reasons(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0  # words only: no vectors needed
    with django_capture_on_commit_callbacks(execute=True):
        cast = make_cast()
        problem = published(cast)
    match = problem.matches.get(studio__slug="s-vision")
    assert "剔除" in match.terms
    client.force_login(cast["a"])
    soup = BeautifulSoup(
        client.get(f"/problems/{problem.pk}/").content.decode(), "html.parser"
    )
    item = soup.select_one('.matches li[data-studio="s-vision"] .reasons')
    assert "剔除" in [m.get_text() for m in item.select("mark")]
    api = client.get(f"/api/v1/problems/{problem.pk}/matches/").json()
    assert "剔除" in next(m for m in api if m["studio"] == "s-vision")["terms"]


def test_mark_terms_escapes_everything_else():
    from search.templatetags.highlight import mark_terms

    assert str(mark_terms("<b>焊接</b> 抖动", ["抖动"])) == (
        "&lt;b&gt;焊接&lt;/b&gt; <mark>抖动</mark>"
    )
