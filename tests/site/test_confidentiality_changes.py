"""Making a problem confidential takes back everything public derived from it:
cached pages (after the commit, and without a race), the verified achievement's
title, solution and benefit, the results figures and the public search."""

from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.cache import (
    PublicPageCacheFetchMiddleware,
    PublicPageCacheUpdateMiddleware,
)
from problems import services
from problems.models import Confidentiality, Problem, Status
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = pytest.mark.django_db


def published(enterprise, staff, **fields):
    problem = Problem.objects.create(
        enterprise=enterprise,
        title="灌装线瓶盖歪斜zqxsecret",
        description="瓶盖歪斜，漏检率高。",
        **fields,
    )
    owner = person("enterprise", enterprise=enterprise)
    services.submit_problem(problem=problem, user=owner)
    services.start_review(problem=problem, user=staff)
    services.publish_problem(problem=problem, user=staff)
    return problem, owner


def make_confidential(problem, capture):
    with capture(execute=True):
        problem.refresh_from_db()
        problem.confidentiality = Confidentiality.INVITED
        problem.save()


def test_a_cached_public_page_is_gone_once_the_problem_is_made_confidential(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    staff = person("staff")
    problem, _ = published(EnterpriseFactory(), staff)
    url = problem.get_absolute_url()
    assert "zqxsecret" in client.get(url).content.decode()
    assert client.get(url).status_code == 200  # served from the cache
    make_confidential(problem, django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 404


def test_a_page_rendered_before_the_change_committed_is_not_cached_after_it(
    client, settings, django_capture_on_commit_callbacks
):
    """The race: a reader loads the public page, the problem is made
    confidential and committed while the page renders, then the page is done.
    It must not be stored under the new generation (and served for minutes)."""
    settings.PAGE_CACHE_SECONDS = 600
    staff = person("staff")
    problem, _ = published(EnterpriseFactory(), staff)
    url = problem.get_absolute_url()
    request = RequestFactory().get(url)
    fetch = PublicPageCacheFetchMiddleware(lambda r: None)
    assert fetch.process_request(request) is None  # not cached yet: render it
    rendered = HttpResponse(f"<h1>{problem.title}</h1>")  # the old, public page
    make_confidential(problem, django_capture_on_commit_callbacks)
    update = PublicPageCacheUpdateMiddleware(lambda r: rendered)
    update.process_response(request, rendered)
    response = client.get(url)
    assert response.status_code == 404
    assert "zqxsecret" not in response.content.decode()


def verified(problem, owner, staff, studio):
    services.invite_studios(problem=problem, user=staff, studios=[studio])
    craftsman = person("craftsman", studio=studio)
    proposal = services.submit_proposal(
        problem=problem, user=craftsman, text="加装视觉传感器zqxsolution"
    )
    services.accept_proposal(proposal=proposal, user=owner)
    services.record_outcome(
        problem=problem,
        user=craftsman,
        result=Status.SOLVED,
        solution="按品种分色标记并加装传感器zqxsolution",
        actual_benefit_wan_yuan=Decimal("4321.87"),
    )
    services.confirm_outcome(problem=problem, user=owner)
    return services.verify_outcome(problem=problem, user=staff)


def test_the_achievement_and_the_results_follow_the_problem_s_confidentiality(
    client, django_capture_on_commit_callbacks
):
    staff = person("staff")
    studio = StudioFactory()
    problem, owner = published(EnterpriseFactory(), staff)
    outcome = verified(problem, owner, staff, studio)
    achievement_url = outcome.achievement.get_absolute_url()
    public_pages = [achievement_url, studio.get_absolute_url(), "/problems/results/"]
    seen = {url: client.get(url).content.decode() for url in public_pages}
    assert "4321" in seen[achievement_url] and "4321" in seen["/problems/results/"]
    assert "zqxsecret" in seen[achievement_url]
    assert "zqxsecret" in seen[studio.get_absolute_url()]

    make_confidential(problem, django_capture_on_commit_callbacks)

    for url in [*public_pages, "/achievements/", "/search/?q=灌装线瓶盖歪斜"]:
        body = client.get(url).content.decode()
        for marker in ("zqxsecret", "zqxsolution", "4321"):
            assert marker not in body, (url, marker)
    outcome.achievement.refresh_from_db()
    assert outcome.achievement.benefit_wan_yuan is None

    # and back: public again, the achievement says what was solved
    with django_capture_on_commit_callbacks(execute=True):
        problem.refresh_from_db()
        problem.confidentiality = Confidentiality.PUBLIC
        problem.save()
    assert "zqxsecret" in client.get(achievement_url).content.decode()
