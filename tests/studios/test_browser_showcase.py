"""A public reader's tour of the showcase in a real browser."""

import pytest
from django.core.management import call_command

from tests.browser import screenshot
from tests.support import DEMO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, migration_content):
    call_command("import_studios", str(DEMO / "studios.jsonl"), "--no-progress")
    return live_server.url


def test_reader_tours_the_showcase_in_chinese_and_english(site, page):  # noqa: F811
    page.goto(site + "/")
    assert page.locator(".figures").inner_text().startswith("36")
    screenshot(page, "home")

    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="工作室"
    ).click()
    assert page.get_by_test_id("result-count").inner_text() == "36 个工作室"
    seen = page.locator(".studio-card").count()
    while page.get_by_role("link", name="下一页").count():
        page.get_by_role("link", name="下一页").click()
        seen += page.locator(".studio-card").count()
    assert seen == 36
    page.goto(site + "/studios/")
    option = page.locator("select[name=chain] option", has_text="烟酒食品")
    page.get_by_label("产业链").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="筛选").click()
    cards = page.locator(".studio-card .meta").all_inner_texts()
    assert cards and all("烟酒食品" in c for c in cards)
    screenshot(page, "studio-index-filtered")

    page.get_by_role("link", name="宝鸡卷烟厂卷包视觉检测劳模创新工作室").click()
    assert page.locator("h1").inner_text() == "宝鸡卷烟厂卷包视觉检测劳模创新工作室"
    assert "寇卫东" in page.locator(".people").inner_text()
    assert "机器视觉" in page.locator(".tags").first.inner_text()
    assert page.locator(".achievement-card").count() == 3
    screenshot(page, "studio-page")

    page.get_by_role("link", name="宝鸡烟酒食品工业跨区域创新工作室联盟").click()
    assert "成员工作室" in page.locator("body").inner_text()
    assert page.locator(".member-studios li").count() >= 5
    screenshot(page, "alliance-page")

    page.get_by_role("link", name="English").click()
    assert page.url.startswith(site + "/en/alliances/")
    assert "member studios" in page.locator("body").inner_text()
    page.get_by_role("link", name="Achievements").click()
    assert page.locator("h1").inner_text() == "Achievements gallery"
    page.get_by_label("Kind").select_option("patent")
    page.get_by_role("button", name="Filter").click()
    kinds = page.locator(".achievement-card .kind").all_inner_texts()
    assert kinds and all(k.startswith("Patent") for k in kinds)
    screenshot(page, "achievements-gallery-en")

    page.get_by_role("link", name="中文").click()
    assert page.locator("h1").inner_text() == "创新成果展"
