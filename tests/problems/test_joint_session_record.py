"""Union staff record that a joint session was held: the state, and a place on
the problem page (full session records come with joint sessions)."""

import datetime

import pytest
from bs4 import BeautifulSoup

from problems import services
from problems.models import Status
from tests.factories import published

pytestmark = pytest.mark.django_db


def invited(cast):  # noqa: F811
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=list(cast["studios"].values())
    )
    return problem


def test_staff_record_a_session_and_the_invited_see_it(client, cast):  # noqa: F811
    problem = invited(cast)
    client.force_login(cast["staff"])
    response = client.post(
        f"/problems/{problem.pk}/act/hold_session/",
        {"held_on": "2026-11-20", "place": "包装车间", "note": "现场会诊，定视觉方案"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.SESSION_HELD
    client.force_login(cast["vision"])
    soup = BeautifulSoup(
        client.get(f"/problems/{problem.pk}/").content.decode(), "html.parser"
    )
    assert soup.select_one("[data-testid=sessions]").get_text(strip=True) == (
        "2026-11-20 · 包装车间 · 现场会诊，定视觉方案"
    )
    # proposals may still come after the session
    services.submit_proposal(
        problem=problem, user=cast["vision"], text="方案", estimated_days=10
    )


def test_a_session_in_the_future_or_by_others_is_refused(client, cast):  # noqa: F811
    problem = invited(cast)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    client.force_login(cast["staff"])
    response = client.post(
        f"/problems/{problem.pk}/act/hold_session/", {"held_on": tomorrow.isoformat()}
    )
    assert response.status_code == 409
    client.force_login(cast["a"])
    response = client.post(
        f"/problems/{problem.pk}/act/hold_session/", {"held_on": "2026-11-20"}
    )
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == Status.INVITED
    assert not problem.events.filter(action="hold_session").exists()
