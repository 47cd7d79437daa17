"""Two people acting on the same problem at the same moment (real PostgreSQL:
select_for_update does nothing on SQLite)."""

import threading

import pytest
from django.db import connection, connections

from problems import services
from problems.models import Proposal, Status
from tests.factories import published

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (the second pass of make test)",
)
def test_two_acceptances_at_once_leave_exactly_one(cast, migration_content):  # noqa: F811
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=list(cast["studios"].values())
    )
    proposals = [
        services.submit_proposal(
            problem=problem, user=cast[name], text=f"{name} 的方案"
        )
        for name in ("vision", "bottling")
    ]
    barrier, results = threading.Barrier(2), []

    def accept(proposal):
        barrier.wait()
        try:
            services.accept_proposal(proposal=proposal, user=cast["a"])
            results.append("accepted")
        except services.TransitionError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["accepted", "refused"]
    problem.refresh_from_db()
    assert problem.status == Status.IMPLEMENTING
    assert Proposal.objects.filter(state=Proposal.State.ACCEPTED).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (the second pass of make test)",
)
def test_two_saves_of_one_edit_form_at_once_keep_one_and_refuse_the_other(
    cast,  # noqa: F811
    migration_content,
):
    from django.test import Client

    from problems.models import Problem
    from tests.factories import draft

    problem = draft(cast)
    version = problem.version
    form = {
        "description": "瓶盖歪斜。",
        "confidentiality": "invited",
        "version": version,
    }
    barrier, codes = threading.Barrier(2), []

    def save(title):
        client = Client()
        client.force_login(cast["a"])
        barrier.wait()
        try:
            response = client.post(
                f"/problems/{problem.pk}/edit/", {**form, "title": title}
            )
            codes.append((response.status_code, title))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(t,)) for t in ("甲的标题", "乙的标题")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(code for code, _ in codes) == [302, 409]
    saved = next(title for code, title in codes if code == 302)
    assert Problem.objects.get(pk=problem.pk).title == saved
