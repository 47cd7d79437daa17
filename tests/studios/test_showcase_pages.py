"""What a public reader sees on the showcase pages, and what each page costs."""

import re

import pytest
from bs4 import BeautifulSoup

from studios.models import Achievement, Studio
from tests.factories import AchievementFactory, StudioFactory, rich_studio

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(response):
    return " ".join(soup(response).get_text(" ").split())


def test_studio_index_lists_live_studios_with_filters(client, demo_studios):
    response = client.get("/studios/")
    assert response.status_code == 200
    assert "36 个工作室" in text(response)
    assert len(soup(response).select(".studio-card")) == 12  # first page
    vision = Studio.objects.get(slug="s-bjcig-vision")
    response = client.get("/studios/", {"chain": vision.industry_chain_id})
    names = [a.get_text() for a in soup(response).select(".studio-card h3 a")]
    assert vision.name in names
    assert all(
        s.industry_chain_id == vision.industry_chain_id
        for s in Studio.objects.filter(name__in=names)
    )
    response = client.get("/studios/", {"tag": "机器视觉"})
    assert vision.name in text(response)
    response = client.get("/studios/", {"level": "全国"})
    expected = Studio.objects.filter(level="全国").count()
    assert f"{expected} 个工作室" in text(response)


def test_unpublished_studio_is_hidden_everywhere(client, demo_studios):
    studio = Studio.objects.get(slug="s-bjcig-vision")
    studio.live = False
    studio.save()
    assert client.get("/studios/s-bjcig-vision/").status_code == 404
    assert studio.name not in text(client.get("/studios/"))
    achievement = studio.achievements.first()
    assert client.get(achievement.get_absolute_url()).status_code == 404
    assert "35 个工作室" in text(client.get("/studios/"))


def test_bad_filter_is_a_400_with_a_message(client, demo_studios):
    response = client.get("/studios/", {"chain": "abc"})
    assert response.status_code == 400
    assert "chain" in text(response)
    assert client.get("/achievements/", {"year": "1800"}).status_code == 400


def test_studio_page_shows_leader_tags_achievements(client, demo_studios):
    response = client.get("/studios/s-bjcig-vision/")
    page = text(response)
    assert "宝鸡卷烟厂卷包视觉检测劳模创新工作室" in page
    assert "寇卫东 领办人 陕西省劳动模范" in page
    for tag in ["机器视觉", "混牌识别"]:
        assert tag in [li.get_text() for li in soup(response).select(".tags li")]
    assert "小盒商标纸混牌视觉识别系统" in page
    assert "经济效益：126 万元" in page
    og = soup(response).find("meta", property="og:title")
    assert og["content"] == "宝鸡卷烟厂卷包视觉检测劳模创新工作室"


def test_unknown_studio_is_404(client, db):
    assert client.get("/studios/s-nothing-here/").status_code == 404


def test_achievements_gallery_filters_by_kind_year_chain_alliance(client, demo_studios):
    patents = Achievement.objects.filter(kind="patent")
    response = client.get("/achievements/", {"kind": "patent"})
    assert f"{patents.count()} 项成果" in text(response)
    response = client.get("/achievements/", {"kind": "patent", "year": 2021})
    assert f"{patents.filter(year=2021).count()} 项成果" in text(response)
    studio = Studio.objects.get(slug="s-bjcig-vision")
    alliance = studio.alliances.get()
    response = client.get("/achievements/", {"alliance": alliance.pk})
    expected = Achievement.objects.filter(studio__alliances=alliance).count()
    assert f"{expected} 项成果" in text(response)
    response = client.get("/achievements/", {"chain": studio.industry_chain_id})
    expected = Achievement.objects.filter(
        studio__industry_chain=studio.industry_chain
    ).count()
    assert f"{expected} 项成果" in text(response)


def test_alliance_page_lists_members_chains_and_enterprises(client, demo_studios):
    response = client.get("/alliances/")
    link = soup(response).select_one(".card h2 a")
    response = client.get(link["href"])
    page = text(response)
    studios = Studio.objects.filter(alliances__title=link.get_text())
    assert f"{studios.count()} 个成员工作室" in page
    for studio in studios:
        assert studio.name in page
        assert studio.enterprise.name in page
        assert studio.industry_chain.name in page
    assert "尚无技术会诊记录" in page


def test_craftsman_page(client, demo_studios):
    response = client.get("/studios/s-bjcig-vision/")
    href = soup(response).select_one(".people a")["href"]
    page = text(client.get(href))
    assert "寇卫东" in page and "宝鸡卷烟厂卷包视觉检测劳模创新工作室" in page


def test_english_interface_via_the_language_prefix(client, demo_studios):
    response = client.get("/studios/s-bjcig-vision/")
    switch = {
        a.get_text(): a["href"] for a in soup(response).select(".language-switch a")
    }
    assert switch["English"] == "/en/studios/s-bjcig-vision/"
    page = text(client.get(switch["English"]))
    assert (
        "Leader and members" in page and "Economic benefit: 126 × 10,000 yuan" in page
    )
    assert "Provincial" in page
    assert "36 studios" in text(client.get("/en/studios/"))


def test_sitemap_lists_studios_achievements_and_pages(client, demo_studios):
    body = client.get("/sitemap.xml").content.decode()
    assert "/studios/s-bjcig-vision/" in body
    assert re.search(r"/achievements/\d+/", body)
    assert "/alliances/" in body


def test_home_page_shows_figures(client, demo_studios):
    page = text(client.get("/"))
    total = sum(a.benefit_wan_yuan or 0 for a in Achievement.objects.all())
    assert "36 工作室" in page
    assert f"{round(total)} 万元经济效益" in page


# --- Query budgets: no N+1, whatever the amount of related content ------------


@pytest.mark.parametrize("size", [1, 8])
def test_studio_page_query_budget(client, django_assert_max_num_queries, size):
    studio = rich_studio(
        n_tags=size * 3, n_achievements=size * 2, n_members=size, n_photos=size
    )
    client.get(studio.get_absolute_url())  # renditions are made on first view
    with django_assert_max_num_queries(10):
        response = client.get(studio.get_absolute_url())
    assert len(soup(response).select(".achievement-card")) == size * 2
    assert len(soup(response).select(".photos img")) == size


@pytest.mark.parametrize("count", [3, 30])
def test_list_page_query_budget(client, django_assert_max_num_queries, count):
    for _ in range(count):
        rich_studio(n_tags=4, n_achievements=2, n_members=1, n_photos=0)
    for url in ["/studios/", "/achievements/", "/studios/?tag=标签1-1"]:
        client.get(url)
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


# --- Page cache ---------------------------------------------------------------


def test_page_cache_serves_repeat_views_and_forgets_on_change(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    studio = StudioFactory(name="旧名字工作室")
    AchievementFactory(studio=studio)
    client.get(studio.get_absolute_url())
    with django_assert_num_queries(0):
        assert "旧名字工作室" in text(client.get(studio.get_absolute_url()))
    studio.name = "新名字工作室"
    studio.save()
    assert "新名字工作室" in text(client.get(studio.get_absolute_url()))


def test_page_cache_is_not_used_for_visitors_with_a_session(
    client, settings, admin_user
):
    settings.PAGE_CACHE_SECONDS = 600
    studio = StudioFactory()
    client.get(studio.get_absolute_url())
    client.force_login(admin_user)
    response = client.get(studio.get_absolute_url())
    assert "wagtail-userbar" in response.content.decode()
