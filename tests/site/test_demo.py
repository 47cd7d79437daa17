"""`make run`'s demo: it fills every page a reader can open, it can run again
without changing anything, and nothing an anonymous reader can reach fails,
pulls a resource from another host or names localhost."""

import io
import json
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model, password_validation
from django.core.management import call_command
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from accounts.models import Person
from core.snippets import Honour
from joint_sessions.models import SessionReportPage, SessionStatus
from problems.models import (
    Confidentiality,
    Outcome,
    Problem,
    ProblemEvent,
    Status,
)
from studios.models import (
    Achievement,
    AllianceChair,
    AlliancePage,
    Craftsman,
    StoryPage,
    Studio,
    StudioPhoto,
)
from tests.factories import BOARD_TABLES
from tests.site.crawl import Crawl, is_foreign
from tests.support import DEMO

pytestmark = pytest.mark.django_db

SITE_URL = "https://jianglian.example.org"
PAGE_CAP = 1500  # the demo has ~900 reachable addresses; crawled in ~15 s
STRONG_VALIDATORS = [  # what production asks of a password (at least)
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def load_demo():
    out = io.StringIO()
    call_command("load_demo", str(DEMO), "--no-vectors", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row the demo writes, with what a second run could change."""
    models = [
        Studio,
        Achievement,
        Craftsman,
        StudioPhoto,
        Honour,
        AllianceChair,
        Page,
        Revision,
        get_image_model(),
        get_user_model(),
        Person,
        *BOARD_TABLES,
    ]
    return {
        "rows": {
            m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models
        },
        "studios": list(Studio.objects.order_by("pk").values_list("pk", "updated_at")),
        "problems": list(
            Problem.objects.order_by("pk").values_list("pk", "status", "updated_at")
        ),
        "pages": list(
            Page.objects.order_by("pk").values_list("pk", "latest_revision_id")
        ),
        "site": list(Site.objects.values_list("hostname", "port")),
    }


def test_the_demo_fills_every_page_and_a_second_run_changes_nothing(client, settings):
    settings.SITE_URL = SITE_URL
    first = load_demo()
    before = snapshot()
    second = load_demo()
    assert snapshot() == before
    assert "0 images drawn, 0 studios, alliances and stories filled" in second
    assert "0 problems driven" in second

    # The Wagtail Site is on the configured address, not localhost:80.
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "jianglian.example.org",
        443,
        SITE_URL,
    )

    # A joint session held, its report published with a photo, on the
    # alliance's page for everyone.
    report = SessionReportPage.objects.live().get()
    assert report.session.status == SessionStatus.REPORT_PUBLISHED
    assert report.photos.filter(caption__gt="").exists()
    assert client.get(report.url).status_code == 200
    alliance = report.session.alliance
    assert report.url in client.get(alliance.url).content.decode()

    # Stories with bodies and (generated) images.
    stories = StoryPage.objects.live()
    assert stories.count() >= 3
    for story in stories:
        kinds = [block.block_type for block in story.body]
        assert {"heading", "paragraph", "image"} <= set(kinds), story.title
        assert story.image is not None and story.studios.exists()
    images = get_image_model().objects.all()
    assert images.count() >= 10
    assert all("generated" in image.title for image in images)

    # Studio photos, contacts, equipment, honours; an alliance chair.
    filled = Studio.objects.exclude(equipment="").exclude(contact_phone="")
    assert (
        filled.filter(photos__isnull=False, honours__isnull=False).distinct().count()
        >= 5
    )
    for alliance in AlliancePage.objects.all():
        assert alliance.chairs.filter(end_year__isnull=True).count() == 1
        assert alliance.founded_year and alliance.intro

    # Problems in several states, through the real services.
    states = {p.external_id: p.status for p in Problem.objects.all()}
    assert states["p-qdbeer-cap-defects"] == Status.SOLVED
    assert states["demo-qdbeer-label-skew"] == Status.PROPOSALS
    assert states["demo-qdbeer-crate-washer"] == Status.INVITED
    assert states["demo-qdbeer-co2-recovery"] == Status.IN_REVIEW
    assert Problem.objects.filter(
        confidentiality=Confidentiality.ALLIANCE, alliances__isnull=False
    ).exists()
    invited = Problem.objects.get(external_id="demo-qdbeer-crate-washer")
    assert invited.confidentiality == Confidentiality.INVITED and invited.public_summary
    outcome = Outcome.objects.get(problem__external_id="p-qdbeer-cap-defects")
    assert outcome.verified_at and outcome.confirmed_at
    assert outcome.achievement.studio.slug == "s-bjcig-vision"
    assert outcome.problem.title in outcome.achievement.title  # a public problem
    assert ProblemEvent.objects.filter(
        problem=outcome.problem, action="hold_session"
    ).exists()

    # Demo people who can sign in, with passwords production would accept.
    for record in json.loads((DEMO / "workflow.json").read_text())["people"]:
        user = get_user_model().objects.get(username=record["username"])
        assert user.check_password(record["password"])
        assert user.person.role == record["role"] and user.person.approved
        password_validation.validate_password(
            record["password"],
            user,
            password_validation.get_password_validators(STRONG_VALIDATORS),
        )
        assert record["password"] in first  # printed for the newcomer
    client.force_login(get_user_model().objects.get(username="demo-staff"))
    assert client.get("/admin/").status_code == 200


def test_a_re_import_keeps_the_achievement_of_a_verified_outcome(settings):
    settings.SITE_URL = SITE_URL
    load_demo()
    achievement = Outcome.objects.get().achievement
    studio = achievement.studio
    # The register's copy of this studio changes: the studio is rewritten.
    Studio.objects.filter(pk=studio.pk).update(member_count=999)
    call_command(
        "import_studios",
        str(DEMO / "studios.jsonl"),
        "--no-progress",
        stdout=io.StringIO(),
    )
    studio.refresh_from_db()
    assert studio.member_count != 999
    assert Outcome.objects.get().achievement == achievement
    assert (
        Achievement.objects.filter(studio=studio, title=achievement.title).count() == 1
    )


# ---------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------


def test_an_anonymous_crawl_finds_no_error_no_foreign_resource_and_no_localhost(
    client, settings
):
    settings.SITE_URL = SITE_URL
    load_demo()

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    xml = ElementTree.fromstring(sitemap.content)  # noqa: S314 (our own answer)
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    locations = [loc.text for loc in xml.findall("s:url/s:loc", ns)]
    assert locations and all(loc.startswith(f"{SITE_URL}/") for loc in locations)
    # Public problems, in both languages, with hreflang alternates.
    public = set(Problem.objects.public().values_list("pk", flat=True))
    listed = {
        int(m.group(1))
        for loc in locations
        if (m := re.fullmatch(rf"{SITE_URL}/problems/(\d+)/", loc))
    }
    assert public and listed == public
    assert not listed & set(
        Problem.objects.exclude(pk__in=public).values_list("pk", flat=True)
    )
    problem = min(public)
    for url in xml.findall("s:url", ns):
        if url.find("s:loc", ns).text == f"{SITE_URL}/problems/{problem}/":
            alternates = {
                link.get("hreflang"): link.get("href")
                for link in url.findall("x:link", ns)
            }
    assert alternates == {
        "zh-hans": f"{SITE_URL}/problems/{problem}/",
        "en": f"{SITE_URL}/en/problems/{problem}/",
        "x-default": f"{SITE_URL}/problems/{problem}/",
    }
    assert f"{SITE_URL}/en/stories/" in locations  # Wagtail pages too

    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots

    # Never the admins (not for readers) nor media (the web server's files).
    crawl = Crawl(client, skip=(settings.MEDIA_URL,))
    for seed in [
        "/",
        "/en/",
        "/sitemap.xml",
        "/robots.txt",
        "/favicon.ico",
        "/api/docs/",
    ]:
        crawl.add(seed)
    for loc in locations:
        crawl.add(loc[len(SITE_URL) :])
    crawl.run(PAGE_CAP)

    assert not crawl.problems, "\n".join(crawl.problems)
    missing = sorted(p for p, code in crawl.answers.items() if code == 404)
    assert not missing, f"broken links: {missing}"
    # What the crawl reached: both languages, every kind of page, our icons,
    # Swagger UI from our static files.
    reached = set(crawl.answers)
    for path in [
        "/stories/",
        "/en/stories/",
        "/alliances/",
        "/en/problems/",
        "/problems/results/",
        "/static/favicon.svg",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/api/docs/?script=",
    ]:
        assert path in reached, path
    for story in StoryPage.objects.live():
        for language in ("zh-hans", "en"):
            with translation.override(language):
                assert story.get_url_parts()[2] in reached
    # Every reachable address was read (raise PAGE_CAP if the demo outgrows it).
    assert not crawl.waiting, f"crawl stopped at {PAGE_CAP}"


def test_swagger_ui_is_ours_without_inline_script_or_style(client):
    page = BeautifulSoup(client.get("/api/docs/").content.decode(), "html.parser")
    scripts = page.find_all("script")
    assert scripts and all(script.get("src") for script in scripts)
    assert all(not script.string for script in scripts)
    assert not page.find_all("style")
    sources = [s["src"] for s in scripts] + [link["href"] for link in page("link")]
    assert all(not is_foreign(s) for s in sources)
    start = client.get("/api/docs/?script=")
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in start.content


def test_the_admin_asks_no_other_host(admin_client, admin_user):
    admin_user.email = "someone@example.org"
    admin_user.save()
    body = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in body
    assert "w-upgrade" not in body  # the version check calls releases.wagtail.org
    assert 'class="avatar' in body  # Wagtail's own default avatar instead
