"""Two people acting on the same objects at the same moment, on PostgreSQL
(select_for_update does nothing on SQLite): every write service locks the
rows it changes and judges the state after the lock, so exactly one of two
conflicting actions wins and the other is refused in words (409 on the web).

A pause is put inside the services' transaction (after the problem is locked)
so that the two actions overlap every time, not only when the scheduler
happens to interleave them."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from problems import services
from problems.models import (
    Decision,
    Invitation,
    MatchSuggestion,
    Problem,
    ProblemEvent,
    Proposal,
    Status,
)
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (the second pass of make test)",
    ),
]

PAUSE = 0.5  # seconds a service holds its locks before it commits


@pytest.fixture
def cast(migration_content):
    enterprise = EnterpriseFactory(name="青岛啤酒宝鸡有限公司")
    vision = StudioFactory(slug="s-vision")
    bottling = StudioFactory(slug="s-bottling")
    return {
        "owner": person("enterprise", enterprise=enterprise),
        "vision": person("craftsman", studio=vision),
        "bottling": person("craftsman", studio=bottling),
        "staff": person("staff"),
        "other_staff": person("staff"),
        "enterprise": enterprise,
        "studios": [vision, bottling],
    }


def problem_in(cast, status, **kwargs):
    return Problem.objects.create(
        **{
            "enterprise": cast["enterprise"],
            "created_by": cast["owner"],
            "title": "压盖后瓶盖歪斜漏检",
            "description": "瓶盖歪斜靠人工抽检。",
            "status": status,
            **kwargs,
        }
    )


def with_proposals(cast):
    """A problem with both studios invited and a proposal from each."""
    problem = problem_in(cast, Status.PROPOSALS)
    proposals = []
    for studio, member in zip(
        cast["studios"], (cast["vision"], cast["bottling"]), strict=True
    ):
        Invitation.objects.create(problem=problem, studio=studio)
        proposals.append(
            Proposal.objects.create(
                problem=problem,
                studio=studio,
                author=member,
                text=f"{studio.slug} 的方案",
                respond_by=timezone.localdate() + datetime.timedelta(days=1),
            )
        )
    return problem, proposals


@pytest.fixture
def slow(monkeypatch):
    """Make ``services.<name>`` pause after it returns (its caller's
    transaction, and the locks taken, stay open meanwhile)."""

    def slow_down(name):
        # (a name the service module lacks is left alone: the old code that
        # these tests were checked against once had no _lock)
        original = getattr(services, name, None)
        if original is None:
            return

        def paused(*args, **kwargs):
            result = original(*args, **kwargs)
            time.sleep(PAUSE)
            return result

        monkeypatch.setattr(services, name, paused)

    return slow_down


def at_once(*actions):
    """Run the actions in threads released together; each result is what the
    action returned, or the exception it raised."""
    barrier, results = threading.Barrier(len(actions)), [None] * len(actions)

    def run(i, action):
        barrier.wait()
        try:
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 — the refusal is the result
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def refused(results):
    return [r for r in results if isinstance(r, Exception)]


def test_accepting_two_proposals_of_one_problem_at_once_accepts_one_and_answers_409(
    cast, slow
):
    slow("transition")
    problem, proposals = with_proposals(cast)

    def accept(proposal):
        def post():
            client = Client()
            client.force_login(cast["owner"])
            return client.post(
                f"/problems/{problem.pk}/act/accept_proposal/",
                {"proposal": proposal.pk},
            ).status_code

        return post

    codes = at_once(*(accept(p) for p in proposals))
    assert sorted(codes) == [302, 409]
    assert Proposal.objects.filter(state=Proposal.State.ACCEPTED).count() == 1
    problem.refresh_from_db()
    assert problem.status == Status.IMPLEMENTING
    assert problem.events.filter(action="accept_proposal").count() == 1


def test_accepting_and_declining_one_proposal_at_once_answers_it_once(cast, slow):
    slow("transition")
    problem, (proposal, __) = with_proposals(cast)
    results = at_once(
        lambda: services.accept_proposal(proposal=proposal, user=cast["owner"]),
        lambda: services.decline_proposal(
            proposal=proposal, user=cast["owner"], reason="cost"
        ),
    )
    (loser,) = refused(results)
    assert isinstance(loser, services.TransitionError)
    proposal.refresh_from_db()
    winner = next(r for r in results if not isinstance(r, Exception))
    assert proposal.state == winner.state != Proposal.State.SUBMITTED
    answered = problem.events.filter(action__in=["accept_proposal", "decline_proposal"])
    assert answered.count() == 1


def test_one_match_decided_twice_at_once_is_recorded_once(cast, slow):
    slow("_lock")
    problem = problem_in(cast, Status.MATCHED)
    match = MatchSuggestion.objects.create(
        problem=problem, studio=cast["studios"][0], rank=1, score=0.9
    )
    results = at_once(
        *(
            lambda user=user: services.decide_match(
                suggestion=match, user=user, decision=Decision.CONFIRMED
            )
            for user in (cast["staff"], cast["other_staff"])
        )
    )
    (loser,) = refused(results)
    assert isinstance(loser, services.TransitionError)
    assert "该匹配已确认" in str(loser)
    assert ProblemEvent.objects.filter(action="match_confirmed").count() == 1
    match.refresh_from_db()
    assert match.decision == Decision.CONFIRMED


def test_one_studio_invited_twice_at_once_is_invited_and_told_once(
    cast, slow, django_capture_on_commit_callbacks
):
    slow("transition")
    problem = problem_in(cast, Status.MATCHED)
    vision = cast["studios"][0]
    results = at_once(
        *(
            lambda user=user: services.invite_studios(
                problem=problem, studios=[vision], user=user
            )
            for user in (cast["staff"], cast["owner"])
        )
    )
    (loser,) = refused(results)
    assert isinstance(loser, services.TransitionError)
    assert Invitation.objects.filter(problem=problem).count() == 1
    assert cast["vision"].notifications.count() == 1
    assert problem.events.filter(action="invite").count() == 1


def test_two_problems_merged_into_each_other_at_once_make_no_cycle(cast, slow):
    slow("transition")
    first = problem_in(cast, Status.PUBLISHED)
    second = problem_in(cast, Status.PUBLISHED, title="瓶盖歪斜（重复）")
    results = at_once(
        lambda: services.merge_problem(problem=first, into=second, user=cast["staff"]),
        lambda: services.merge_problem(
            problem=second, into=first, user=cast["other_staff"]
        ),
    )
    # Refused in words (not killed by the database as a deadlock)
    (loser,) = refused(results)
    assert isinstance(loser, ValidationError), repr(loser)
    assert "不能接收重复难题" in " ".join(loser.messages)
    merged = Problem.objects.filter(status=Status.MERGED)
    assert merged.count() == 1
    (duplicate,) = merged
    carries_on = Problem.objects.get(pk=duplicate.merged_into_id)
    assert carries_on.status == Status.PUBLISHED and carries_on.merged_into_id is None


def test_two_reminder_runs_at_once_remind_once(cast, slow):
    slow("_notify_enterprise")
    with_proposals(cast)  # two proposals due tomorrow
    counts = at_once(
        services.remind_proposal_deadlines, services.remind_proposal_deadlines
    )
    assert not refused(counts)
    assert sum(counts) == 2  # each proposal once, by one run or the other
    assert cast["owner"].notifications.count() == 2
    assert not Proposal.objects.filter(reminded_at__isnull=True).exists()


def test_two_api_edits_from_one_version_at_once_keep_one_and_answer_412(cast, slow):
    slow("_lock")
    problem = problem_in(cast, Status.DRAFT)
    version = problem.version

    def edit(title):
        def patch():
            client = APIClient()
            client.force_authenticate(cast["owner"])
            response = client.patch(
                f"/api/v1/problems/{problem.pk}/",
                {"title": title, "tags": [title]},
                format="json",
                HTTP_IF_MATCH=f'"{version}"',
            )
            return response.status_code, title

        return patch

    results = at_once(edit("甲的标题"), edit("乙的标题"))
    assert sorted(code for code, __ in results) == [200, 412]
    kept = next(title for code, title in results if code == 200)
    problem.refresh_from_db()
    assert problem.title == kept and problem.tag_names == [kept]
