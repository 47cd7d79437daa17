"""The board's FilterSet: what each filter may look at, and bad values."""

import pytest
from bs4 import BeautifulSoup

from core.snippets import IndustryChain
from problems.models import Confidentiality, Problem, Status
from tests.factories import DistrictFactory, EnterpriseFactory, StudioFactory, alliance

pytestmark = pytest.mark.django_db


def titles(client, **params):
    response = client.get("/problems/", params)
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return sorted(h.get_text(strip=True) for h in page.select(".problem-card h3"))


@pytest.fixture
def world():
    """One public problem and one invited-only problem known by its summary,
    alike in everything a filter can ask about."""
    district = DistrictFactory(name="金台区")
    group = alliance("滤镜联盟")
    chain = IndustryChain.objects.create(name="机床装备")
    made = {}
    for level, title in (
        (Confidentiality.PUBLIC, "公开：主轴温升"),
        (Confidentiality.INVITED, "保密：主轴温升"),
    ):
        enterprise = EnterpriseFactory(district=district)
        StudioFactory(enterprise=enterprise).alliances.add(group)
        problem = Problem.objects.create(
            enterprise=enterprise,
            title=title,
            description="隐秘配方在描述里。",
            public_summary="一家企业的主轴问题。",
            status=Status.PUBLISHED,
            confidentiality=level,
            industry_chain=chain,
        )
        problem.tags.add("隐秘标签")
        problem.alliances.add(group)
        problem.save()
        made[level] = problem
    return {"district": district, "alliance": group, "chain": chain, **made}


def test_a_summary_row_matches_on_its_summary_chain_and_status(client, world):
    # A summary card is titled as a confidential problem, never by its title
    shown = titles(client)
    assert "保密：主轴温升" not in shown and "公开：主轴温升" in shown
    (summary_card,) = [t for t in shown if t != "公开：主轴温升"]
    # Its summary is what q reads (a row read in full is searched in its text)
    assert titles(client, q="主轴问题") == [summary_card]
    assert titles(client, chain=world["chain"].pk) == shown
    assert titles(client, status=Status.PUBLISHED) == shown
    assert titles(client, status=Status.SOLVED) == []


@pytest.mark.parametrize("name", ["q", "tag", "district", "alliance"])
def test_hidden_parts_of_a_summary_row_are_never_matched(client, world, name):
    value = {
        "q": "隐秘配方",
        "tag": "隐秘标签",
        "district": world["district"].pk,
        "alliance": world["alliance"].pk,
    }[name]
    # The public twin is found: the filter works, and stays silent on the other
    assert titles(client, **{name: value}) == ["公开：主轴温升"]


def test_q_finds_a_tag_of_a_problem_read_in_full(client, world):
    assert titles(client, q="隐秘标签") == ["公开：主轴温升"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"chain": "x"}, "chain"),
        ({"alliance": str(2**63)}, "alliance"),
        ({"district": "-1"}, "district"),
        ({"status": "nonsense"}, "status"),
        ({"q": "词" * 101}, "q"),
        ({"tag": "签" * 101}, "tag"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
    ],
)
def test_a_bad_value_answers_400_naming_the_filter(client, params, field):
    response = client.get("/problems/", params)
    assert response.status_code == 400
    errors = BeautifulSoup(response.content.decode(), "html.parser").select(
        ".errors li"
    )
    assert [li.get_text().split(":")[0] for li in errors] == [field]


def test_the_chosen_filters_stay_in_the_page_links(client, world):
    for n in range(21):
        Problem.objects.create(
            enterprise=world[Confidentiality.PUBLIC].enterprise,
            title=f"翻页{n}",
            description="d",
            status=Status.SOLVED,
            confidentiality=Confidentiality.PUBLIC,
        )
    response = client.get("/problems/", {"status": Status.SOLVED})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    links = [a["href"] for a in page.select("a[href*='page=2']")]
    assert links and all("status=solved" in href for href in links)
    assert len(titles(client, status=Status.SOLVED, page=2)) == 1
