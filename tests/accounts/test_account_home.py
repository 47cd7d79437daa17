"""My account shows what waits for each person: the enterprise's problems,
the studio's invitations, the union's review queue — nobody else's."""

import pytest
from bs4 import BeautifulSoup

from problems import services
from problems.models import Problem
from tests.factories import draft, make_cast

pytestmark = pytest.mark.django_db


def listed(client, user, testid):
    client.force_login(user)
    soup = BeautifulSoup(client.get("/accounts/").content.decode(), "html.parser")
    box = soup.select_one(f"[data-testid={testid}]")
    return None if box is None else [a.get_text() for a in box.select("a")]


def test_each_person_sees_their_own_work(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cast = make_cast()
        mine = draft(cast)
        theirs = Problem.objects.create(
            enterprise=cast["b"].person.enterprise, title="乙的难题", description="d"
        )
        services.submit_problem(problem=theirs, user=cast["b"])
    assert listed(client, cast["a"], "my-problems") == [mine.title]
    assert listed(client, cast["b"], "my-problems") == ["乙的难题"]
    assert listed(client, cast["staff"], "to-review") == ["乙的难题"]  # not drafts
    assert listed(client, cast["vision"], "invitations") == []
    services.submit_problem(problem=mine, user=cast["a"])
    services.start_review(problem=mine, user=cast["staff"])
    services.publish_problem(problem=mine, user=cast["staff"])
    services.invite_studios(
        problem=mine, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    assert listed(client, cast["vision"], "invitations") == [mine.title]
    assert listed(client, cast["bottling"], "invitations") == []
    assert listed(client, cast["a"], "to-review") is None  # not staff
