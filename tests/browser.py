"""Headless Chromium (Debian's) driven by Playwright, for tests that look at
pages as a person does. Screenshots are kept under test-artifacts/. A pytest
plugin (tests/conftest.py lists it): its fixtures reach every test folder."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser(sync_orm_beside_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make services` (installs chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sync_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; the ORM calls of
    the test and its fixtures are still synchronous and safe. The browser fixture asks
    for it, so it holds in browser test modules only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


PASSWORD = "pw-for-tests"  # the factories' (tests.factories.person)


def log_in(browser, site, username):  # noqa: F811
    """Sign in through the form; union staff also enter their authenticator's
    code (their device is set up beforehand)."""
    # imported here: this plugin is loaded before Django is set up
    from django.contrib.auth import get_user_model

    from accounts.people import is_staff
    from tests.factories import totp_code, totp_device

    user = get_user_model().objects.get(username=username)
    device = totp_device(user) if is_staff(user) else None
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.goto(site + "/accounts/login/")
    tab.get_by_label("用户名").fill(username)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    if device is not None:
        assert "/accounts/two-factor/" in tab.url
        tab.get_by_label("验证码").fill(totp_code(device))
        tab.get_by_role("button", name="验证").click()
        assert "/accounts/two-factor/" not in tab.url
    return tab
