"""Tags typed into the problem form: taggit's parser with our separators."""

import pytest
from bs4 import BeautifulSoup

from core.tags import MAX_TAG_LENGTH, MAX_TAGS, format_tags, parse_tags
from problems.models import Problem
from tests.factories import EnterpriseFactory, person


@pytest.mark.parametrize(
    "text, names",
    [
        ("瓶盖、剔除", ["剔除", "瓶盖"]),
        ("a,b，c、d;e；f", ["a", "b", "c", "d", "e", "f"]),
        ("  瓶盖 ,, 、 剔除 ", ["剔除", "瓶盖"]),
        ("激光 焊接", ["激光 焊接"]),  # a space does not split a tag
        ('"焊接, 切割"、激光', ["激光", "焊接, 切割"]),  # quotes keep a comma
        ("瓶盖、瓶盖、瓶盖", ["瓶盖"]),
        ('"甲、乙"；丙', ["丙", "甲、乙"]),
        ('"甲、乙；丙', ["丙", "乙", "甲"]),  # a quote never closed
        ("", []),
        (None, []),
        ("、 ，;", []),
    ],
)
def test_separators_quotes_and_blanks(text, names):
    assert sorted(parse_tags(text)) == names


def test_at_most_twenty_tags_of_at_most_a_hundred_characters():
    names = parse_tags("、".join(f"标签{n:02}" for n in range(30)) + "、" + "长" * 150)
    assert len(names) == MAX_TAGS == 20
    assert max(len(n) for n in names) <= MAX_TAG_LENGTH
    assert parse_tags("长" * 150) == ["长" * MAX_TAG_LENGTH]


@pytest.mark.parametrize(
    "names", [["剔除", "瓶盖"], ["焊接, 切割", "激光 焊接"], ["甲、乙", "丙；丁"]]
)
def test_the_edit_text_reads_back_to_the_same_tags(names):
    assert sorted(parse_tags(format_tags(names))) == sorted(names)


@pytest.mark.django_db
def test_the_problem_form_saves_and_shows_the_tags(client, private_folder):
    client.force_login(person("enterprise", enterprise=EnterpriseFactory()))
    response = client.post(
        "/problems/new/",
        {
            "title": "压盖后瓶盖歪斜",
            "description": "瓶盖歪斜靠人工抽检。",
            "confidentiality": "public",
            "tag_names": '瓶盖，激光 焊接、"焊接, 切割"',
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert sorted(problem.tags.names()) == ["激光 焊接", "焊接, 切割", "瓶盖"]
    page = BeautifulSoup(
        client.get(f"/problems/{problem.pk}/edit/").content.decode(), "html.parser"
    )
    shown = page.select_one("input[name=tag_names]")["value"]
    assert sorted(parse_tags(shown)) == sorted(problem.tags.names())
