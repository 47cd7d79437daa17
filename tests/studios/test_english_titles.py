"""On /en/ a page, studio or achievement reads its English title where one is
recorded — in <title>, the heading, the listings and the cards — and its
Chinese title where none is; the Chinese site keeps the Chinese titles. A
problem shows its industry chain (and other reference names) in English too."""

import io

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from core.snippets import IndustryChain
from problems.models import Confidentiality, Problem, Status
from studios.models import AllianceIndexPage, AlliancePage, StoryIndexPage, StoryPage
from tests.factories import (
    AchievementFactory,
    EnterpriseFactory,
    StudioFactory,
    alliance,
)
from tests.support import DEMO

pytestmark = pytest.mark.django_db


def read(client, url):
    response = client.get(url)
    # an /en/ answer leaves English active in this thread: addresses built
    # afterwards (page.url, get_absolute_url) are the Chinese site's again
    translation.activate(settings.LANGUAGE_CODE)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return page.title.get_text(), page.h1.get_text().strip(), page


def story(title="瓶盖会诊", title_en="The caps session", **fields):
    index = StoryIndexPage.objects.get()
    page = StoryPage(
        title=title,
        title_en=title_en,
        slug=f"story-{StoryPage.objects.count()}",
        body=[],
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_an_alliance_reads_its_english_title_on_en_and_chinese_on_zh(client):
    page = alliance("烟酒食品联盟")
    page.title_en = "Tobacco and food alliance"
    page.save_revision().publish()
    url = page.url

    title, h1, __ = read(client, url)
    assert title.startswith("烟酒食品联盟") and h1 == "烟酒食品联盟"
    title, h1, __ = read(client, f"/en{url}")
    assert title.startswith("Tobacco and food alliance")
    assert h1 == "Tobacco and food alliance"
    assert "烟酒食品联盟" not in title

    # the alliance index lists it by its English title on /en/
    index = AllianceIndexPage.objects.get()
    __, __, listing = read(client, f"/en{index.url}")
    names = [a.get_text() for a in listing.select("article.card h2 a")]
    assert names == ["Tobacco and food alliance"]


def test_a_page_without_an_english_title_keeps_its_chinese_title_on_en(client):
    page = alliance("高端装备联盟")
    title, h1, __ = read(client, f"/en{page.url}")
    assert h1 == "高端装备联盟" and title.startswith("高端装备联盟")


def test_stories_read_their_english_titles_in_the_page_and_the_listings(client):
    studio = StudioFactory(name="视觉工作室", name_en="Vision studio")
    page = story(intro="导语")
    page.studios.add(studio)
    page.save_revision().publish()

    title, h1, html = read(client, f"/en{page.url}")
    assert h1 == "The caps session" and title.startswith("The caps session")
    assert html.find("meta", property="og:title")["content"] == "The caps session"
    assert "Vision studio" in html.find("aside").get_text()  # studios involved
    __, __, listing = read(client, f"/en{StoryIndexPage.objects.get().url}")
    assert "The caps session" in listing.select_one("ul.stories").get_text()
    __, __, home = read(client, "/en/")
    assert "The caps session" in home.select_one("ul.stories").get_text()
    __, __, chinese = read(client, "/")
    assert "瓶盖会诊" in chinese.select_one("ul.stories").get_text()


def test_studios_and_achievements_read_their_english_names_on_en(client):
    studio = StudioFactory(name="视觉工作室", name_en="Vision studio")
    achievement = AchievementFactory(
        studio=studio, title="混牌识别系统", title_en="Mixed-label recognition"
    )
    title, h1, __ = read(client, f"/en{studio.get_absolute_url()}")
    assert h1 == "Vision studio" and title.startswith("Vision studio")
    title, h1, page = read(client, f"/en{achievement.get_absolute_url()}")
    assert h1 == "Mixed-label recognition"
    assert title.startswith("Mixed-label recognition")
    assert "Vision studio" in page.get_text()
    __, __, cards = read(client, "/en/studios/")
    assert "Vision studio" in [a.get_text() for a in cards.select("h3 a")]
    title, h1, __ = read(client, studio.get_absolute_url())
    assert h1 == "视觉工作室"


def test_the_filters_of_the_lists_name_chains_and_alliances_in_english(client):
    chain = IndustryChain.objects.create(name="烟酒食品", name_en="Tobacco and food")
    studio = StudioFactory(industry_chain=chain)
    page = alliance("烟酒食品联盟")
    page.title_en = "Tobacco and food alliance"
    page.save_revision().publish()
    studio.alliances.add(page)
    studio.save()  # a parental many-to-many is written on save
    AchievementFactory(studio=studio)
    for url in ("/en/studios/", "/en/achievements/"):
        __, __, html = read(client, url)
        chains = [o.get_text() for o in html.select("select[name=chain] option")]
        alliances = [o.get_text() for o in html.select("select[name=alliance] option")]
        assert "Tobacco and food (1)" in chains, url
        assert "Tobacco and food alliance (1)" in alliances, url
    __, __, html = read(client, "/studios/")
    assert "烟酒食品 (1)" in [o.get_text() for o in html.select("select option")]


def test_a_problem_shows_its_industry_chain_in_english_on_en(client):
    chain = IndustryChain.objects.create(name="烟酒食品", name_en="Tobacco and food")
    enterprise = EnterpriseFactory(name="青岛啤酒宝鸡", name_en="Tsingtao Baoji")
    problem = Problem.objects.create(
        enterprise=enterprise,
        title="瓶盖歪斜",
        description="压盖后瓶盖歪斜。",
        industry_chain=chain,
        confidentiality=Confidentiality.PUBLIC,
        status=Status.PUBLISHED,
    )
    __, __, page = read(client, f"/en/problems/{problem.pk}/")
    status = page.find(attrs={"data-testid": "status"}).get_text()
    assert "Tobacco and food" in status and "Tsingtao Baoji" in status
    assert "烟酒食品" not in status
    __, __, board = read(client, "/en/problems/")
    card = board.select_one("article.problem-card").get_text()
    assert "Tobacco and food" in card and "Tsingtao Baoji" in card
    options = [o.get_text() for o in board.select("select[name=chain] option")]
    assert "Tobacco and food" in options
    __, __, chinese = read(client, f"/problems/{problem.pk}/")
    assert "烟酒食品" in chinese.find(attrs={"data-testid": "status"}).get_text()


def test_the_demo_shows_english_titles_and_names_on_en(client):
    call_command("load_demo", str(DEMO), "--no-vectors", stdout=io.StringIO())
    assert all(page.title_en for page in AlliancePage.objects.all())
    assert all(page.title_en for page in StoryPage.objects.all())
    assert not IndustryChain.objects.filter(name_en="").exists()
    story = StoryPage.objects.get(slug="caps-cross-industry-session")
    __, h1, page = read(client, f"/en{story.url}")
    assert h1 == story.title_en and h1.startswith("Cross-industry session")
    __, h1, __ = read(client, "/en/studios/s-bjcig-vision/")
    assert h1 == "Baoji Cigarette Factory packing-line vision inspection studio"
