"""The way in and out: the header for visitors, members, enterprises and
union staff; error pages that say why and what to do next."""

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = pytest.mark.django_db


def header(response):
    html = response.content.decode()
    start = html.index('data-testid="account-nav"')
    return html[start : html.index("</nav>", start)]


def test_a_visitor_sees_log_in_and_register_returning_to_the_page(client):
    nav = header(client.get("/studios/?chain=1"))
    assert 'href="/accounts/login/?next=/studios/%3Fchain%3D1"' in nav
    assert 'href="/accounts/register/"' in nav
    assert "退出登录" not in nav
    en = header(client.get("/en/studios/"))
    assert 'href="/en/accounts/login/?next=/en/studios/"' in en
    assert ">Log in<" in en and ">Register<" in en


def test_a_member_sees_name_account_unread_count_and_logout(client):
    user = person("craftsman", studio=StudioFactory(), username="kou")
    for read in (None, None, timezone.now()):
        Notification.objects.create(user=user, legacy_text="x", read_at=read)
    client.force_login(user)
    nav = header(client.get("/studios/"))
    assert 'href="/accounts/"' in nav and ">kou<" in nav
    assert 'href="/accounts/#notifications"' in nav
    assert '<span class="badge"' in nav and ">2</span>" in nav
    assert 'action="/accounts/logout/"' in nav and "csrfmiddlewaretoken" in nav
    assert "发布难题" not in nav and 'data-testid="staff-menu"' not in nav
    assert "登录<" not in nav.replace("退出登录<", "")
    assert 'id="notifications"' in client.get("/accounts/").content.decode()
    # The header's logout signs out.
    client.post("/accounts/logout/")
    assert 'data-testid="log-in"' in header(client.get("/studios/"))


def test_an_approved_enterprise_may_post_a_problem_from_the_header(client):
    client.force_login(person("enterprise", enterprise=EnterpriseFactory()))
    nav = header(client.get("/"))
    assert '<a class="post-problem" href="/problems/new/">发布难题</a>' in nav
    en = header(client.get("/en/"))
    assert 'href="/en/problems/new/">Post a problem<' in en


def test_a_pending_enterprise_is_not_offered_to_post(client):
    client.force_login(
        person("enterprise", enterprise=EnterpriseFactory(), approved=False)
    )
    assert "/problems/new/" not in header(client.get("/"))


def test_union_staff_have_a_staff_menu(client):
    client.force_login(person("staff"))
    nav = header(client.get("/"))
    assert 'data-testid="staff-menu"' in nav
    for href in ("/accounts/pending/", "/problems/overdue/", "/admin/"):
        assert f'href="{href}"' in nav


def test_a_pending_user_is_told_their_account_awaits_approval(client):
    client.force_login(
        person("enterprise", enterprise=EnterpriseFactory(), approved=False)
    )
    response = client.get("/problems/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "您的账户正在等待工会工作人员审核" in html
    assert 'href="/accounts/"' in html
    assert '<link rel="stylesheet"' in html  # the site's layout
    en = client.get("/en/problems/new/")
    assert en.status_code == 403
    assert "Your account awaits approval by union staff" in en.content.decode()
    assert 'href="/en/accounts/"' in en.content.decode()


def test_a_rejected_user_is_sent_to_the_reason(client):
    client.force_login(
        person(
            "enterprise",
            enterprise=EnterpriseFactory(),
            approved=False,
            rejected_at=timezone.now(),
            rejection_reason="信用代码不符",
        )
    )
    response = client.get("/en/problems/new/")
    assert response.status_code == 403
    assert "Their reason is on your account page" in response.content.decode()


def test_others_are_told_they_may_not_and_where_to_go(client):
    client.force_login(person("craftsman", studio=StudioFactory()))
    response = client.get("/en/problems/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not do this." in html
    assert 'href="/en/"' in html


def test_404_in_the_readers_language(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    en = client.get("/en/no-such-page/")
    assert en.status_code == 404
    html = en.content.decode()
    assert "Page not found" in html and 'action="/en/search/"' in html


def test_500_is_our_own_page_without_the_database(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False
    client.raise_request_exception = False
    for url, words in (
        ("/broken/", "出错了"),
        ("/en/broken/", "Something went wrong"),
    ):
        response = client.get(url)
        assert response.status_code == 500
        html = response.content.decode()
        assert words in html
        assert 'href="/static/css/site.css"' in html
