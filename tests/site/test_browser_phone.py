"""Every public and account page at 375 px, in a real browser: nothing is
wider than the screen. A screenshot of each is kept (phone-*.png), and the
header at 1280 px, signed in and not."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tests.browser import screenshot
from tests.factories import person, totp_code, totp_device
from tests.support import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
PASSWORD = "pw-for-tests"


@pytest.fixture
def site(live_server, settings, private_folder, migration_content):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0  # words only: keeps the test quick
    call_command("import_studios", str(DEMO / "studios.jsonl"), "--no-progress")
    call_command("import_problems", str(DEMO / "problems.jsonl"), "--no-progress")
    return live_server.url


def public_routes():
    from problems.models import Problem
    from studios.models import Achievement, AlliancePage, Craftsman, Studio

    studio = Studio.objects.order_by("pk").first()
    problem = Problem.objects.visible_to(AnonymousUser()).order_by("pk").first()
    assert problem is not None, "the demo data holds a public problem"
    return [
        "/",
        "/studios/",
        studio.get_absolute_url(),
        Craftsman.objects.order_by("pk").first().get_absolute_url(),
        "/achievements/",
        Achievement.objects.order_by("pk").first().get_absolute_url(),
        "/alliances/",
        AlliancePage.objects.live().first().url,
        "/stories/",
        "/problems/",
        problem.get_absolute_url(),
        "/problems/results/",
        "/search/?q=焊接",
        "/accounts/login/",
        "/accounts/register/",
    ]


def slug(url):
    """A file name for the page: its path's ASCII words (the alliance's
    Chinese slug becomes "alliances-page")."""
    words = re.sub(r"%[0-9a-f]{2}", "", url.lower())
    words = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    if url.startswith("/alliances/") and url != "/alliances/":
        words = "alliances-page"
    return words or "home"


def assert_fits(tab, site, url, name, status=200):
    response = tab.goto(site + url)
    assert response.status == status, url
    width = tab.evaluate("document.documentElement.scrollWidth")
    inner = tab.evaluate("window.innerWidth")
    screenshot(tab, f"phone-{name}")
    assert width <= inner, f"{url} is {width}px wide on a {inner}px screen"


def sign_in(tab, site, user):
    device = totp_device(user) if user.person.role == "staff" else None
    tab.goto(site + "/accounts/login/")
    tab.get_by_label("用户名").fill(user.username)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    if device is not None:
        tab.get_by_label("验证码").fill(totp_code(device))
        tab.get_by_role("button", name="验证").click()
    assert "/accounts/login/" not in tab.url and "/two-factor/" not in tab.url


def test_every_page_fits_a_phone(site, browser):  # noqa: F811
    from problems.models import Problem

    routes = public_routes()
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    tab = context.new_page()
    for url in routes:
        assert_fits(tab, site, url, slug(url))
        assert_fits(tab, site, "/en" + url, "en-" + slug(url))
    # The menu folds: closed it hides the links; opened they wrap whole.
    tab.goto(site + "/en/")
    nav = tab.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    tab.locator(".menu > summary").click()
    assert nav.is_visible()
    heights = {
        round(box["height"])
        for box in (a.bounding_box() for a in nav.get_by_role("link").all())
    }
    assert len(heights) == 1, "a menu word broke over two lines"
    screenshot(tab, "phone-en-menu-open")
    assert_fits(tab, site, "/no-such-page/", "404", status=404)
    context.close()

    problem = Problem.objects.visible_to(AnonymousUser()).order_by("pk").first()
    enterprise_user = person(
        "enterprise", enterprise=problem.enterprise, username="ent"
    )
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    tab = context.new_page()
    sign_in(tab, site, enterprise_user)
    for url in ("/accounts/", "/problems/new/", problem.get_absolute_url()):
        assert_fits(tab, site, url, "enterprise-" + slug(url))
        assert_fits(tab, site, "/en" + url, "enterprise-en-" + slug(url))
    context.close()

    waiting = person(
        "enterprise", enterprise=problem.enterprise, username="new", approved=False
    )
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    tab = context.new_page()
    sign_in(tab, site, waiting)
    assert_fits(tab, site, "/problems/new/", "403-pending", status=403)
    assert tab.get_by_test_id("reason-pending").is_visible()
    context.close()

    staff = person("staff", username="union-staff")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    tab = context.new_page()
    sign_in(tab, site, staff)
    for url in ("/accounts/pending/", "/accounts/", "/problems/overdue/"):
        assert_fits(tab, site, url, "staff-" + slug(url))
    context.close()


def test_the_header_on_a_wide_screen(site, browser):  # noqa: F811
    wide = {"width": 1280, "height": 800}
    context = browser.new_context(viewport=wide, locale="zh-CN")
    tab = context.new_page()
    tab.goto(site + "/studios/")
    assert tab.get_by_role("navigation", name="主导航").is_visible()
    assert tab.get_by_test_id("log-in").is_visible()
    assert tab.get_by_test_id("register").is_visible()
    tab.screenshot(path=str(_artifact("header-anonymous-1280")))
    staff = person("staff", username="union-staff")
    sign_in(tab, site, staff)
    tab.goto(site + "/studios/")
    tab.get_by_test_id("staff-menu").locator("summary").click()
    assert tab.get_by_role("link", name="待审核的注册").first.is_visible()
    tab.screenshot(path=str(_artifact("header-staff-1280")))
    context.close()


def _artifact(name):
    from tests.browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
