"""The public board's filters and the "similar solved problems" panel."""

import pytest
from bs4 import BeautifulSoup

from core.snippets import IndustryChain
from problems.models import Confidentiality, Problem, Status
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def problem(title, description, status=Status.PUBLISHED, chain=None, **kwargs):
    return Problem.objects.create(
        enterprise=kwargs.pop("enterprise", None) or EnterpriseFactory(),
        title=title,
        description=description,
        status=status,
        confidentiality=kwargs.pop("confidentiality", Confidentiality.PUBLIC),
        industry_chain=IndustryChain.objects.get_or_create(name=chain)[0]
        if chain
        else None,
        **kwargs,
    )


def titles(client, **params):
    response = client.get("/problems/", params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return sorted(h.get_text() for h in soup.select(".problem-card h3"))


def test_filters_by_chain_status_tag_and_words(client):
    beer = problem("瓶盖歪斜漏检", "包装线瓶盖歪斜。", chain="烟酒食品")
    beer.tags.add("瓶盖")
    beer.save()
    problem("钻井泵管线抖动", "排出管线抖动。", chain="石油装备", status=Status.SOLVED)
    problem("保密草稿", "不应出现。", status=Status.DRAFT)
    assert titles(client) == ["瓶盖歪斜漏检", "钻井泵管线抖动"]
    chain = IndustryChain.objects.get(name="烟酒食品")
    assert titles(client, chain=chain.pk) == ["瓶盖歪斜漏检"]
    assert titles(client, status=Status.SOLVED) == ["钻井泵管线抖动"]
    assert titles(client, tag="瓶盖") == ["瓶盖歪斜漏检"]
    assert titles(client, q="管线") == ["钻井泵管线抖动"]
    assert client.get("/problems/", {"chain": "x"}).status_code == 400


def test_similar_solved_problems_are_shown_and_respect_confidentiality(client):
    current = problem(
        "焊枪摆动时末端抖动", "机器人摆动焊时焊枪末端抖动，焊缝波纹不均。"
    )
    problem(
        "焊接机器人焊枪抖动已解决",
        "机器人焊枪末端抖动，减速器间隙调整后解决。",
        status=Status.SOLVED,
    )
    problem(
        "保密：焊枪末端抖动",
        "机器人焊枪末端抖动。",
        status=Status.SOLVED,
        confidentiality=Confidentiality.INVITED,
    )
    problem("水管漏损已解决", "供水管网漏损。", status=Status.SOLVED)
    page = BeautifulSoup(
        client.get(current.get_absolute_url()).content.decode(), "html.parser"
    )
    similar = [a.get_text() for a in page.select(".similar a")]
    assert similar == ["焊接机器人焊枪抖动已解决"]
