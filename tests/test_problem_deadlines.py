"""Answers to proposals are chased: reminders before the date, a list after it."""

import datetime

import pytest
from django.utils import timezone

from problems import services
from problems.models import Proposal

from .test_problem_lifecycle import cast, published  # noqa: F401

pytestmark = pytest.mark.django_db


def proposal_due_in(cast, days):  # noqa: F811
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    proposal = services.submit_proposal(
        problem=problem, user=cast["vision"], text="方案"
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        respond_by=timezone.localdate() + datetime.timedelta(days=days)
    )
    return proposal


def test_enterprises_are_reminded_once_before_the_answer_date(cast):  # noqa: F811
    proposal_due_in(cast, 1)
    proposal_due_in(cast, 10)
    before = cast["a"].notifications.count()
    assert services.remind_proposal_deadlines() == 1
    assert services.remind_proposal_deadlines() == 0  # once
    assert cast["a"].notifications.count() == before + 1
    assert "请于" in cast["a"].notifications.first().text


def test_staff_see_overdue_answers_and_others_may_not(client, cast):  # noqa: F811
    late = proposal_due_in(cast, -3)
    late.refresh_from_db()
    proposal_due_in(cast, 5)
    client.force_login(cast["staff"])
    page = client.get("/problems/overdue/").content.decode()
    overdue = page.split('<ul class="overdue">', 1)[1].split("</ul>", 1)[0]
    assert overdue.count("<li><a href=") == 1 and str(late.respond_by) in overdue
    client.force_login(cast["a"])
    assert client.get("/problems/overdue/").status_code == 403
