"""The studio and achievement indexes' filters (django-filter FilterSets)."""

import pytest
from bs4 import BeautifulSoup

from core.snippets import District, IndustryChain
from studios.models import Achievement
from studios.models.studio import Level
from tests.factories import AchievementFactory, StudioFactory, alliance

pytestmark = pytest.mark.django_db


def cards(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return sorted(h.get_text(strip=True) for h in page.select("article.card h3"))


@pytest.fixture
def showcase():
    chain = IndustryChain.objects.create(name="航空零件")
    district = District.objects.create(name="高新区")
    group = alliance("索引联盟")
    a = StudioFactory(name="甲工作室", level=Level.NATIONAL, industry_chain=chain)
    a.alliances.add(group)
    a.tags.add("Welding")
    a.save()
    b = StudioFactory(name="乙工作室", level=Level.CITY, district=district)
    hidden = StudioFactory(name="草稿工作室", live=False, level=Level.NATIONAL)
    hidden.tags.add("Welding")
    hidden.save()
    AchievementFactory(studio=a, title="甲的专利", kind=Achievement.Kind.PATENT)
    AchievementFactory(
        studio=b, title="乙的奖项", kind=Achievement.Kind.AWARD, year=2019
    )
    AchievementFactory(studio=hidden, title="草稿的专利", year=2019)
    return {"chain": chain, "district": district, "alliance": group}


def test_studios_filter_by_each_field_and_only_live_ones_show(client, showcase):
    url = "/studios/"
    assert cards(client, url) == ["乙工作室", "甲工作室"]
    assert cards(client, url, level=Level.NATIONAL) == ["甲工作室"]
    assert cards(client, url, chain=showcase["chain"].pk) == ["甲工作室"]
    assert cards(client, url, district=showcase["district"].pk) == ["乙工作室"]
    assert cards(client, url, alliance=showcase["alliance"].pk) == ["甲工作室"]
    assert cards(client, url, tag="welding") == ["甲工作室"]  # any case
    assert cards(client, url, tag="welding", level=Level.CITY) == []


def test_achievements_filter_by_each_field(client, showcase):
    url = "/achievements/"
    assert cards(client, url) == ["乙的奖项", "甲的专利"]
    assert cards(client, url, kind=Achievement.Kind.AWARD) == ["乙的奖项"]
    assert cards(client, url, year=2019) == ["乙的奖项"]
    assert cards(client, url, chain=showcase["chain"].pk) == ["甲的专利"]
    assert cards(client, url, alliance=showcase["alliance"].pk) == ["甲的专利"]


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/studios/", {"level": "宇宙级"}, "level"),
        ("/studios/", {"chain": "1.5"}, "chain"),
        ("/studios/", {"district": str(2**63)}, "district"),
        ("/studios/", {"tag": "t" * 101}, "tag"),
        ("/achievements/", {"year": "1800"}, "year"),
        ("/achievements/", {"year": "2020.5"}, "year"),
        ("/achievements/", {"kind": "rumour"}, "kind"),
        ("/achievements/", {"page": "-3"}, "page"),
    ],
)
def test_a_bad_value_answers_400_naming_the_filter(client, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    errors = BeautifulSoup(response.content.decode(), "html.parser").select(
        ".errors li"
    )
    assert [li.get_text().split(":")[0] for li in errors] == [field]
