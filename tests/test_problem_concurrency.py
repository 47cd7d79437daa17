"""Two people acting on the same problem at the same moment (real PostgreSQL:
select_for_update does nothing on SQLite)."""

import threading

import pytest
from django.db import connection, connections

from problems import services
from problems.models import Proposal, Status

from .test_problem_lifecycle import cast, published  # noqa: F401

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
