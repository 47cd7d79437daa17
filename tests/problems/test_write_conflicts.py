"""Answers that tell the truth about what was saved: a lost race is a 409 with
a message, a form sent twice makes one problem, and work after the commit
(indexing, matching, mail) never turns a saved write into an error.

The same over real HTTP with twenty writers at once: test_concurrent_writes.py.
"""

import pytest
from django.db import IntegrityError, OperationalError

from problems import services
from problems.models import Problem, ProblemEvent, Proposal, Status
from problems.services import TransitionError
from tests.factories import draft, published

pytestmark = pytest.mark.django_db

FORM = {
    "title": "压盖后瓶盖歪斜",
    "description": "瓶盖歪斜靠人工抽检。",
    "confidentiality": "invited",
}


def new_form(client):
    form = client.get("/problems/new/").context["form"]
    return {**FORM, "submission": form["submission"].value()}


# --- a form sent twice ---------------------------------------------------------


def test_the_same_form_sent_twice_makes_one_problem(client, cast):  # noqa: F811
    client.force_login(cast["a"])
    data = new_form(client)
    first = client.post("/problems/new/", data)
    again = client.post("/problems/new/", data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Problem.objects.filter(title=FORM["title"]).count() == 1
    # a form opened anew is a new problem
    client.post("/problems/new/", new_form(client))
    assert Problem.objects.filter(title=FORM["title"]).count() == 2


def test_a_form_token_belongs_to_its_user(client, cast):  # noqa: F811
    from tests.factories import person

    colleague = person("enterprise", enterprise=cast["enterprise"])
    client.force_login(cast["a"])
    data = new_form(client)
    mine = client.post("/problems/new/", data)
    client.force_login(colleague)
    theirs = client.post("/problems/new/", data)
    assert theirs["Location"] != mine["Location"]
    assert Problem.objects.filter(title=FORM["title"]).count() == 2


def test_an_invalid_form_keeps_its_token_and_saves_nothing(client, cast):  # noqa: F811
    client.force_login(cast["a"])
    data = new_form(client)
    response = client.post("/problems/new/", {**data, "title": ""})
    assert response.status_code == 400
    assert response.context["form"]["submission"].value() == data["submission"]
    assert client.post("/problems/new/", data).status_code == 302
    assert Problem.objects.filter(title=FORM["title"]).count() == 1


def test_the_api_takes_an_idempotency_key(client, cast):  # noqa: F811
    client.force_login(cast["a"])
    body = {**FORM, "tag_names": ["视觉"]}
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-me-1"}
    first = client.post(
        "/api/v1/problems/", body, content_type="application/json", **key
    )
    again = client.post(
        "/api/v1/problems/", body, content_type="application/json", **key
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Problem.objects.filter(title=FORM["title"]).count() == 1
    too_long = {"HTTP_IDEMPOTENCY_KEY": "k" * 65}
    refused = client.post(
        "/api/v1/problems/", body, content_type="application/json", **too_long
    )
    assert refused.status_code == 400
    assert Problem.objects.filter(title=FORM["title"]).count() == 1


# --- a lost race: 409, nothing saved --------------------------------------------


def test_a_second_submit_publish_or_invite_answers_409(client, cast):  # noqa: F811
    problem = draft(cast)
    client.force_login(cast["a"])
    url = f"/problems/{problem.pk}/act/"
    assert client.post(url + "submit/").status_code == 302
    again = client.post(url + "submit/")
    assert again.status_code == 409 and again.context["error"]
    client.force_login(cast["staff"])
    client.post(url + "start_review/")
    assert client.post(url + "publish/").status_code == 302
    assert client.post(url + "publish/").status_code == 409
    studio = cast["studios"]["vision"]
    assert client.post(url + "invite/", {"studio": studio.pk}).status_code == 302
    twice = client.post(url + "invite/", {"studio": studio.pk})
    assert twice.status_code == 409 and "已被邀请" in twice.context["error"]
    assert problem.invitations.count() == 1
    assert problem.events.filter(action="invite").count() == 1


def test_the_api_answers_a_state_conflict_with_409(client, cast):  # noqa: F811
    problem = published(cast)
    client.force_login(cast["staff"])
    url = f"/api/v1/problems/{problem.pk}/actions/publish/"
    response = client.post(url, content_type="application/json")
    assert response.status_code == 409 and response.json()["detail"]


def test_answers_checked_on_a_stale_proposal_are_checked_again(cast):  # noqa: F811
    """Two people answer the same proposal from pages opened before either
    answered: the second is refused under the lock, and nothing of it stays."""
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    proposal = services.submit_proposal(
        problem=problem, user=cast["vision"], text="方案"
    )
    stale = Proposal.objects.get(pk=proposal.pk)
    services.decline_proposal(proposal=proposal, user=cast["a"], reason="cost")
    events = ProblemEvent.objects.filter(problem=problem).count()
    with pytest.raises(TransitionError):
        services.decline_proposal(proposal=stale, user=cast["a"], reason="other")
    proposal.refresh_from_db()
    assert proposal.decline_reason == "cost"
    assert ProblemEvent.objects.filter(problem=problem).count() == events


def test_an_outcome_is_confirmed_once(cast):  # noqa: F811
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    proposal = services.submit_proposal(
        problem=problem, user=cast["vision"], text="方案"
    )
    services.accept_proposal(proposal=proposal, user=cast["a"])
    services.record_outcome(
        problem=problem, user=cast["vision"], result=Status.SOLVED, solution="好了"
    )
    services.confirm_outcome(problem=problem, user=cast["a"])
    with pytest.raises(TransitionError):
        services.confirm_outcome(problem=problem, user=cast["a"])


@pytest.mark.parametrize(
    "error",
    [OperationalError("database is locked"), IntegrityError("UNIQUE constraint")],
)
def test_a_write_that_collides_answers_409_not_500(client, cast, monkeypatch, error):  # noqa: F811
    def collide(**kwargs):
        raise error

    monkeypatch.setattr(services, "submit_problem", collide)
    problem = draft(cast)
    client.force_login(cast["a"])
    page = client.post(f"/problems/{problem.pk}/act/submit/")
    assert page.status_code == 409
    assert 'data-testid="conflict"' in page.content.decode()
    api = client.post(
        f"/api/v1/problems/{problem.pk}/actions/submit/",
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["detail"]
    problem.refresh_from_db()
    assert problem.status == Status.DRAFT


def test_other_database_errors_still_fail_loudly(client, cast, monkeypatch):  # noqa: F811
    def broken(**kwargs):
        raise OperationalError("no such table: problems_problem")

    monkeypatch.setattr(services, "submit_problem", broken)
    problem = draft(cast)
    client.force_login(cast["a"])
    with pytest.raises(OperationalError):
        client.post(f"/problems/{problem.pk}/act/submit/")


# --- work after the commit ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failing_index_does_not_turn_a_saved_post_into_an_error(
    client,
    cast,  # noqa: F811
    monkeypatch,
    caplog,
):
    from core.models import BackgroundJob
    from search import indexing

    def index_down(**kwargs):
        raise ConnectionError("the index is down")

    monkeypatch.setattr(indexing, "index_problems", index_down)
    client.force_login(cast["a"])
    response = client.post("/problems/new/", new_form(client))
    assert response.status_code == 302
    assert Problem.objects.filter(title=FORM["title"]).count() == 1
    # the work is kept, not done, with its error (retried; staff see it)
    job = BackgroundJob.objects.get(task="search.index_problems")
    assert job.state != BackgroundJob.State.DONE
    assert "the index is down" in job.last_error


@pytest.mark.django_db(transaction=True)
def test_a_failing_match_does_not_turn_a_publication_into_an_error(
    client,
    cast,  # noqa: F811
    monkeypatch,
    caplog,
):
    from core.models import BackgroundJob
    from problems import matching

    def matching_down(*args):
        raise ConnectionError("matching is down")

    monkeypatch.setattr(matching, "match_stored_problem", matching_down)
    problem = draft(cast)
    services.submit_problem(problem=problem, user=cast["a"])
    services.start_review(problem=problem, user=cast["staff"])
    client.force_login(cast["staff"])
    response = client.post(f"/problems/{problem.pk}/act/publish/")
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.PUBLISHED
    job = BackgroundJob.objects.get(task="problems.match_problem")
    assert job.args == [problem.pk] and job.state != BackgroundJob.State.DONE
    assert "matching is down" in job.last_error
