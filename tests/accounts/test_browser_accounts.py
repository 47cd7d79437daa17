"""A union staff member's first sign-in, in a real browser: password, then
setting up the authenticator, then the recovery codes shown once."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.browser import screenshot
from tests.factories import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_staff_sign_in_sets_up_the_second_factor(
    live_server,
    migration_content,
    page,  # noqa: F811
):
    site = live_server.url
    staff = person("staff", username="union-staff")
    page.goto(site + "/accounts/pending/")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill("pw-for-tests")
    page.get_by_role("button", name="登录").click()
    assert "/accounts/two-factor/setup/" in page.url
    page.get_by_test_id("totp-qr").locator("svg").wait_for(state="visible")
    screenshot(page, "staff-second-factor-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time()
    page.get_by_label("验证码").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="确认").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "staff-recovery-codes")
    page.get_by_role("link", name="继续").click()
    assert page.url.endswith("/accounts/pending/")
    assert page.locator("h1").inner_text() == "待审核的注册"
