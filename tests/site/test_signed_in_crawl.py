"""The crawl of tests/test_demo.py, signed in as each demo role: everything an
enterprise member, a craftsman and union staff (second factor passed) reach by
following links from / and /accounts/ (the header's staff menu included)
answers without a server error or a broken link, asks no other host for a
resource, links to none, and never names localhost.

The admins are entered, not crawled: /admin/ (Wagtail) is requested and its
resources checked, but its own pages are Wagtail's. Logout is a POST form and
is never followed; media files are the web server's."""

import io
import json

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from problems.models import Invitation, Problem
from tests.site.crawl import Crawl
from tests.support import DEMO

pytestmark = pytest.mark.django_db

SITE_URL = "https://jianglian.example.org"
# Per role. The demo gives each role ~1,000 addresses (both languages, every
# filter of every list); the cap keeps the run near a minute and cuts only
# addresses with a query, which come last (see Crawl).
PAGE_CAP = 600
ROLES = {
    person["role"]: person["username"]
    for person in json.loads((DEMO / "workflow.json").read_text())["people"]
}


def crawl_as(client, role):
    client.force_login(get_user_model().objects.get(username=ROLES[role]))
    crawl = Crawl(
        client,
        skip=(django_settings.MEDIA_URL, "/accounts/logout/", "/en/accounts/logout/"),
        admin_entry={"/admin/"},
    )
    for seed in ["/", "/accounts/", "/en/", "/en/accounts/"]:
        crawl.add(seed)
    crawl.run(PAGE_CAP)
    client.logout()
    return crawl


def test_each_signed_in_role_crawls_without_error_foreign_host_or_localhost(
    client, settings
):
    settings.SITE_URL = SITE_URL
    call_command("load_demo", str(DEMO), "--no-vectors", stdout=io.StringIO())
    enterprise_problems = set(
        Problem.objects.filter(
            enterprise__people__user__username=ROLES["enterprise"]
        ).values_list("pk", flat=True)
    )
    invited = set(
        Invitation.objects.filter(
            studio__slug="s-bjcig-vision", problem__in=Problem.objects.all()
        ).values_list("problem_id", flat=True)
    )
    assert enterprise_problems and invited

    failures, counts = [], {}
    crawls = {}
    for role in ("enterprise", "craftsman", "staff"):
        crawl = crawls[role] = crawl_as(client, role)
        counts[role] = (len(crawl.answers), crawl.waiting)
        # the cap cuts only addresses with a query: every plain page was read
        own, plain, __ = crawl.queues
        assert not own and not plain, (role, list(own)[:5], list(plain)[:5])
        failures += [f"{role} {problem}" for problem in crawl.problems]
        failures += [
            f"{role} {path}: {code}"
            for path, code in crawl.answers.items()
            if code in (403, 404)  # a link shown to this person that fails
        ]
    print("signed-in crawl (answers, left by the cap):", counts)
    assert not failures, "\n".join(failures)

    # Each role reached its own work: the pages the anonymous crawl cannot.
    reached = {role: set(crawl.answers) for role, crawl in crawls.items()}
    for role in reached:
        assert reached[role] >= {"/accounts/", "/en/accounts/"}, role
        # the signed-in pages are this person's (not a sign-in page)
        assert crawls[role].answers["/accounts/"] == 200
    assert "/problems/new/" in reached["enterprise"]
    assert {f"/problems/{pk}/" for pk in enterprise_problems} <= reached["enterprise"]
    assert {f"/problems/{pk}/" for pk in invited} <= reached["craftsman"]
    assert {
        "/accounts/pending/",
        "/problems/overdue/",
        "/admin/",
        "/problems/results/",
    } <= reached["staff"]
    assert crawls["staff"].answers["/admin/"] == 200  # second factor passed
    # nor does the admin's menu (drawn from JSON, not <a>) point elsewhere
    client.force_login(get_user_model().objects.get(username=ROLES["staff"]))
    admin = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in admin and "enable-javascript" not in admin
    assert not any(p.startswith("/admin/") for p in reached["enterprise"])
