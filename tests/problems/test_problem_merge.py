"""Union staff merge duplicate problems from the problem page."""

import pytest
from bs4 import BeautifulSoup

from problems import services
from problems.models import Confidentiality, Problem, Status
from tests.factories import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(indexed_cast):
    """The same bottleneck posted twice, and an unrelated problem."""
    first = draft(indexed_cast, confidentiality=Confidentiality.PUBLIC)
    for problem in (first,):
        services.submit_problem(problem=problem, user=indexed_cast["a"])
        services.start_review(problem=problem, user=indexed_cast["staff"])
        services.publish_problem(problem=problem, user=indexed_cast["staff"])
    again = Problem.objects.create(
        enterprise=indexed_cast["enterprise"],
        created_by=indexed_cast["a"],
        title="瓶盖歪斜和错盖检不出来",
        description="压盖机出口瓶盖歪斜、错盖，人工抽检漏检。",
        confidentiality=Confidentiality.PUBLIC,
    )
    services.submit_problem(problem=again, user=indexed_cast["a"])
    unrelated = Problem.objects.create(
        enterprise=indexed_cast["enterprise"],
        title="输送带跑偏",
        description="主斜井输送带跑偏撕裂。",
        status=Status.SUBMITTED,
    )
    return first, again, unrelated


def page(client, problem):
    response = client.get(f"/problems/{problem.pk}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_staff_see_likely_duplicates_and_merge_one(client, indexed_cast, pair):
    first, again, unrelated = pair
    client.force_login(indexed_cast["staff"])
    soup = page(client, again)
    offered = [int(i["value"]) for i in soup.select(".duplicates input[name=into]")]
    assert offered[0] == first.pk and unrelated.pk not in offered

    response = client.post(
        f"/problems/{again.pk}/act/merge/", {"into": [str(first.pk), ""]}
    )
    assert response.status_code == 302
    again.refresh_from_db()
    assert (again.status, again.merged_into_id) == (Status.MERGED, first.pk)
    merged_page = page(client, again)
    history = merged_page.select_one(".events").get_text()
    assert f"合并到难题 #{first.pk}" in history and "merge" not in history  # in Chinese
    notice = merged_page.select_one("[data-testid=merged] a")
    assert notice["href"] == f"/problems/{first.pk}/"
    [told] = indexed_cast["a"].notifications.filter(url=f"/problems/{first.pk}/")
    assert f"#{first.pk}" in told.text  # the enterprise learns where it continues
    event = first.events.get(action="merged_from")
    assert event.actor == indexed_cast["staff"] and f"#{again.pk}" in event.note
    assert [e.action for e in again.events.all()][-1] == "merge"
    # the duplicate leaves the public board
    client.logout()
    board = BeautifulSoup(client.get("/problems/").content.decode(), "html.parser")
    assert again.title not in board.get_text() and first.title in board.get_text()


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("", "请填写"),
        ("abc", "请填写"),
        ("１２", "请填写"),  # full-width digits are not a number here
        ("99999999", "没有编号为"),
        ("self", "不能合并到自身"),
        ("draft", "不能接收重复难题"),
    ],
)
def test_a_bad_merge_is_refused_with_a_message_and_changes_nothing(
    client, indexed_cast, pair, into, message
):
    first, again, unrelated = pair
    targets = {
        "self": str(again.pk),
        "draft": str(draft(indexed_cast, confidentiality=Confidentiality.PUBLIC).pk),
    }
    client.force_login(indexed_cast["staff"])
    response = client.post(
        f"/problems/{again.pk}/act/merge/", {"into": targets.get(into, into)}
    )
    assert response.status_code == 409
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert message in soup.select_one("[data-testid=error]").get_text()
    again.refresh_from_db()
    assert (again.status, again.merged_into_id) == (Status.SUBMITTED, None)
    assert not again.events.filter(action="merge").exists()


def test_only_union_staff_may_merge(client, indexed_cast, pair):
    first, again, _ = pair
    client.force_login(indexed_cast["a"])  # the enterprise that posted both
    assert "merge-form" not in client.get(f"/problems/{again.pk}/").content.decode()
    response = client.post(f"/problems/{again.pk}/act/merge/", {"into": first.pk})
    assert response.status_code == 403
    again.refresh_from_db()
    assert again.status == Status.SUBMITTED


def test_merging_through_the_api(client, indexed_cast, pair):
    first, again, _ = pair
    client.force_login(indexed_cast["staff"])
    response = client.post(
        f"/api/v1/problems/{again.pk}/actions/merge/",
        {"into": first.pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.MERGED
