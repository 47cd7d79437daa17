"""The problem board's whole loop, as its people would use it, in a real browser."""

import pytest
from django.core import mail
from django.core.management import call_command
from PIL import Image

from problems.models import Problem
from tests.browser import log_in, screenshot
from tests.factories import person
from tests.support import DEMO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "pw-for-tests"


@pytest.fixture
def site(live_server, settings, private_folder, migration_content):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0  # words only: keeps the test quick
    call_command("import_studios", str(DEMO / "studios.jsonl"), "--no-progress")
    return live_server.url


def test_from_registration_to_a_verified_outcome(site, browser, page, tmp_path):  # noqa: F811
    from studios.models import Studio

    staff = person("staff", username="union-staff")
    vision = Studio.objects.get(slug="s-bjcig-vision")
    person("craftsman", studio=vision, username="kou")

    # An enterprise registers and waits for approval.
    page.goto(site + "/accounts/register/")
    page.get_by_label("用户名").fill("qdbeer")
    page.get_by_label("电子邮件地址").fill("qdbeer@example.org")
    page.get_by_label("注册身份").select_option("enterprise")
    page.get_by_label("企业名称").fill("青岛啤酒宝鸡有限公司")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    page.get_by_label("密码:", exact=True).fill("Str0ng-pass-phrase")
    page.get_by_label("确认密码:", exact=True).fill("Str0ng-pass-phrase")
    page.get_by_role("button", name="注册").click()
    assert page.get_by_test_id("register-sent").is_visible()
    # ... confirms the address with the emailed link, logs in and waits.
    (message,) = [m for m in mail.outbox if m.to == ["qdbeer@example.org"]]
    link = next(w for w in message.body.split() if "/accounts/verify/" in w)
    page.goto(site + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_label("用户名").fill("qdbeer")
    page.get_by_label("密码").fill("Str0ng-pass-phrase")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_test_id("awaiting-approval").is_visible()

    union = log_in(browser, site, staff.username)
    union.goto(site + "/accounts/pending/")
    claim = union.locator(".claim")
    assert "青岛啤酒宝鸡有限公司" in claim.get_by_test_id("joins").inner_text()
    screenshot(union, "registration-claim")
    claim.get_by_role("button", name="批准").click()
    assert union.locator(".claim").count() == 0

    # Approved, the enterprise posts a confidential problem with a photo.
    photo = tmp_path / "现场.jpg"
    Image.new("RGB", (64, 48), "orange").save(photo, format="JPEG")
    page.goto(site + "/accounts/")
    page.get_by_role("link", name="发布技术难题").click()
    page.get_by_label("标题").fill("压盖后瓶盖歪斜、错盖，人工抽检漏检")
    page.get_by_label("问题描述").fill(
        "瓶装线压盖后瓶盖歪斜、漏盖，换品种时图案相近的瓶盖混用，"
        "现有检测只看有无瓶盖，希望在线视觉识别并自动剔除。"
    )
    page.get_by_label("保密级别").select_option("invited")
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_test_id("status").inner_text().find("已提交") >= 0
    # the problem's own address (an action's answer adds #messages; going to
    # the same address with a fragment would not load the page again)
    problem_url = page.url.split("#", 1)[0]
    screenshot(page, "problem-submitted")

    # Union staff review and publish it; the matches come with reasons.
    union.goto(problem_url)
    union.get_by_role("button", name="开始审核").click()
    union.get_by_role("button", name="发布", exact=True).click()
    matches = union.locator(".matches > li")
    assert matches.count() >= 2
    assert union.locator(".matches .reasons li").first.inner_text()
    chosen = ["s-bjcig-vision", "s-xifeng-bottling"]
    for slug in chosen:
        union.locator(
            f'.matches > li[data-studio="{slug}"] input[type=checkbox]'
        ).check()
    screenshot(union, "problem-matches")
    union.get_by_role("button", name="邀请所选工作室").click()
    assert "已邀请工作室" in union.get_by_test_id("status").inner_text()

    # The craftsman sees the invitation and sends a proposal.
    craftsman = log_in(browser, site, "kou")
    craftsman.locator(".notifications a").first.click()
    craftsman.get_by_label("方案").fill(
        "在压盖机出口加装线阵相机，识别盖歪与盖型，联动剔除。"
    )
    craftsman.get_by_role("button", name="提交方案", exact=True).click()
    assert "已收到方案" in craftsman.get_by_test_id("status").inner_text()

    # The enterprise accepts it; the outcome is recorded, confirmed and verified.
    page.goto(problem_url)
    page.goto(problem_url)
    page.get_by_role("button", name="接受").click()
    assert "实施中" in page.get_by_test_id("status").inner_text()
    craftsman.goto(problem_url)
    craftsman.get_by_label("结果").select_option("solved")
    craftsman.get_by_label("采用的方案").fill(
        "线阵相机加气动剔除，漏检率降到万分之一以下。"
    )
    craftsman.get_by_label("实际经济效益（万元）").fill("80")
    craftsman.get_by_role("button", name="登记成果").click()
    page.goto(problem_url)
    page.get_by_role("button", name="确认成果").click()
    union.goto(problem_url)
    union.get_by_role("button", name="核验成果").click()
    assert "已解决" in union.get_by_test_id("status").inner_text()

    page.goto(site + "/studios/s-bjcig-vision/")
    achievements = page.locator(".achievement-card").all_inner_texts()
    assert any("保密" in a for a in achievements)
    # confidential stays so: neither the problem's words nor its benefit
    assert not any("瓶盖" in a or "80" in a for a in achievements)
    screenshot(page, "studio-with-verified-outcome")
    assert Problem.objects.get().attachments.count() == 1


def test_staff_merge_a_duplicate_and_the_public_find_the_problem_by_its_words(
    site,
    browser,  # noqa: F811
    page,  # noqa: F811
):
    from organisations.models import Enterprise
    from problems import services

    staff = person("staff", username="union-staff")
    enterprise = Enterprise.objects.get(name="青岛啤酒宝鸡有限公司")  # demo data
    owner = person("enterprise", enterprise=enterprise)
    first = Problem.objects.create(
        enterprise=enterprise,
        title="压盖后瓶盖歪斜漏检",
        description="瓶盖歪斜和错盖靠人工抽检。",
        confidentiality="public",
    )
    for action in (services.submit_problem, services.start_review):
        action(
            problem=first, user=owner if action is services.submit_problem else staff
        )
    services.publish_problem(problem=first, user=staff)
    again = Problem.objects.create(
        enterprise=enterprise,
        title="瓶盖歪斜检不出来",
        description="压盖机出口瓶盖歪斜，人工抽检漏检。",
        confidentiality="public",
    )
    services.submit_problem(problem=again, user=owner)

    union = log_in(browser, site, staff.username)
    union.goto(f"{site}/problems/{again.pk}/")
    form = union.get_by_test_id("merge-form")
    form.locator(f"input[type=radio][value='{first.pk}']").check()
    form.get_by_role("button", name="合并").click()
    assert union.get_by_test_id("merged").is_visible()
    assert "已合并" in union.get_by_test_id("status").inner_text()
    screenshot(union, "merged-duplicate")
    union.get_by_test_id("merged").get_by_role("link").click()
    assert union.locator("h1").inner_text() == "压盖后瓶盖歪斜漏检"

    # A reader searches with a word inside a run of characters.
    page.goto(site + "/search/?q=瓶盖")
    results = page.locator(".result-problem h3")
    assert results.all_inner_texts() == ["压盖后瓶盖歪斜漏检"]  # not the duplicate
    screenshot(page, "public-search-problem")
