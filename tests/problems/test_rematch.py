"""Union staff re-run the matching of a problem from its page (a publication
whose matching was lost — the server killed mid-publish — or studios added
since): a POST that enqueues through the outbox, once while one waits."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import BackgroundJob
from problems import services
from problems.models import Confidentiality, Problem, Status
from tests.factories import draft, published

pytestmark = pytest.mark.django_db
MATCH = "problems.match_problem"


def matching_jobs(problem):
    return BackgroundJob.objects.filter(task=MATCH, args=[problem.pk])


@pytest.fixture
def lost_matching(cast):
    """Published, but its matching never ran (the job lost with the server)."""
    problem = published(cast, confidentiality=Confidentiality.PUBLIC)
    matching_jobs(problem).delete()
    return problem


def test_staff_queue_the_matching_once_and_see_when(client, cast, lost_matching):
    client.force_login(cast["staff"])
    page = client.get(f"/problems/{lost_matching.pk}/").content.decode()
    assert 'data-testid="rematch"' in page and "matching-queued" not in page
    response = client.post(f"/problems/{lost_matching.pk}/rematch/", follow=True)
    assert response.status_code == 200
    job = matching_jobs(lost_matching).get()
    assert job.state == BackgroundJob.State.PENDING  # sent once this commits
    html = response.content.decode()
    assert "已于" in html and "排队重新匹配" in html  # the message, in Chinese
    assert 'data-testid="matching-queued"' in html
    # A second click while it waits queues nothing more.
    client.post(f"/problems/{lost_matching.pk}/rematch/")
    assert matching_jobs(lost_matching).count() == 1


def test_the_queued_matching_runs_and_matches(cast, lost_matching, commit):
    with commit():
        job = services.rematch_problem(problem=lost_matching, user=cast["staff"])
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE
    assert Problem.objects.get(pk=lost_matching.pk).status == Status.MATCHED
    # Done: a new click queues a new matching.
    with commit():
        again = services.rematch_problem(problem=lost_matching, user=cast["staff"])
    assert again.pk != job.pk


@pytest.mark.parametrize("role", ["a", "vision", "other"])
def test_nobody_but_staff_may_rematch(client, cast, lost_matching, role):
    client.force_login(cast[role])
    page = client.get(f"/problems/{lost_matching.pk}/").content.decode()
    assert 'data-testid="rematch"' not in page
    response = client.post(f"/problems/{lost_matching.pk}/rematch/")
    assert response.status_code == 403
    assert not matching_jobs(lost_matching).exists()
    with pytest.raises(PermissionDenied):
        services.rematch_problem(problem=lost_matching, user=cast[role])


def test_a_problem_others_may_not_see_is_not_found(client, cast):
    problem = draft(cast)  # a draft: only its enterprise and staff see it
    client.force_login(cast["vision"])
    assert client.post(f"/problems/{problem.pk}/rematch/").status_code == 404
    client.logout()
    response = client.post(f"/problems/{problem.pk}/rematch/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not matching_jobs(problem).exists()


def test_only_a_problem_open_to_studios_is_matched_again(client, cast):
    problem = draft(cast)
    client.force_login(cast["staff"])
    response = client.post(f"/problems/{problem.pk}/rematch/")
    assert response.status_code == 409
    assert "才能重新匹配" in response.content.decode()
    assert not matching_jobs(problem).exists()


def test_get_is_refused(client, cast, lost_matching):
    client.force_login(cast["staff"])
    assert client.get(f"/problems/{lost_matching.pk}/rematch/").status_code == 405
