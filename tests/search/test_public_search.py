"""The public search box, as a reader uses it."""

import io
import re
from urllib.parse import parse_qsl

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from tests.support import DEMO

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(settings, django_capture_on_commit_callbacks):
    def load(with_vectors=False):
        settings.SEARCH_INLINE_ENCODE_LIMIT = 100 if with_vectors else 0
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "import_studios",
                str(DEMO / "studios.jsonl"),
                "--no-progress",
                stdout=io.StringIO(),
            )

    return load


def get(client, **params):
    response = client.get("/search/", params)
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup, kind=None):
    selector = f".result-{kind} h3" if kind else ".result h3"
    return [h.get_text() for h in soup.select(selector)]


def test_chinese_query_finds_studios_and_achievements_with_highlights(client, indexed):
    indexed()
    response, soup = get(client, q="混牌识别")
    assert response.status_code == 200
    assert "宝鸡卷烟厂卷包视觉检测劳模创新工作室" in titles(soup, "studio")
    assert "小盒商标纸混牌视觉识别系统" in titles(soup, "achievement")
    assert soup.select("mark") and all(
        m.get_text() in "混牌识别" for m in soup.select("mark")
    )


def test_facets_narrow_the_results(client, indexed):
    indexed()
    _, soup = get(client, q="焊接")
    all_results = len(soup.select(".result"))
    link = next(a for a in soup.select(".facets a") if a.get_text() == "创新成果")
    _, narrowed = get(client, **dict(parse_qsl(link["href"][1:])))
    kinds = {r["class"][-1] for r in narrowed.select(".result")}
    assert kinds == {"result-achievement"}
    assert 0 < len(narrowed.select(".result")) < all_results
    _, chain = get(client, q="焊接", industry_chain="轨道交通工程")
    assert chain.select(".result") and all(
        "中铁" in r.select_one(".kind").get_text()
        for r in chain.select(".result-studio")
    )


def test_english_query_through_the_thesaurus(client, indexed):
    indexed()
    _, soup = get(client, q="machine vision")
    assert "宝鸡卷烟厂卷包视觉检测劳模创新工作室" in titles(soup, "studio")


def test_craftsman_by_name(client, indexed):
    indexed()
    _, soup = get(client, q="寇卫东")
    assert titles(soup, "craftsman") == ["寇卫东"]


def test_a_typo_gets_did_you_mean(client, indexed):
    indexed()
    _, soup = get(client, q="机器视绝")
    assert [a.get_text() for a in soup.select(".did-you-mean a")] == ["机器视觉"]


def test_no_shared_words_shows_studios_related_in_meaning(client, indexed):
    indexed(with_vectors=True)
    _, soup = get(client, q="焊口裂开")  # plant words no studio uses
    assert not soup.select(".result")
    assert 1 <= len(soup.select(".related li")) <= 5
    assert not soup.select(".no-convincing-match")


@pytest.mark.parametrize("query", ["qwertyuiop", "hello world"])
def test_a_query_close_to_nothing_gets_no_convincing_match_not_a_list(
    client, indexed, query
):
    indexed(with_vectors=True)
    _, soup = get(client, q=query)
    assert not soup.select(".result") and not soup.select(".related li")
    assert soup.select_one(".no-convincing-match").get_text().startswith("没有令人信服")


def test_query_text_is_escaped_and_bad_parameters_are_a_400(client, indexed):
    indexed()
    response, soup = get(client, q="<script>alert(1)</script>焊接")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/search/", {"q": "焊接", "year": "abc"}).status_code == 400
    assert client.get("/search/", {"q": "x" * 500}).status_code == 400


def test_results_are_paginated(client, indexed):
    indexed()
    _, first = get(client, q="检测")
    count_text = first.select_one("[data-testid=result-count]").get_text()
    count = int(re.search(r"(\d+) 条", count_text).group(1))
    assert count > 10 and len(first.select(".result")) == 10
    _, second = get(client, q="检测", page=2)
    assert len(second.select(".result")) == min(10, count - 10)
    assert [r.get_text() for r in first.select(".result")] != [
        r.get_text() for r in second.select(".result")
    ]
