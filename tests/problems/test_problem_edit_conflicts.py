"""Concurrent edits of one problem: the later save over a newer change gets a
409 that keeps what was typed; nothing is silently undone."""

import pytest
from bs4 import BeautifulSoup

from problems import services
from problems.models import Problem, Status
from tests.factories import EnterpriseFactory, person

pytestmark = pytest.mark.django_db

FORM = {
    "title": "压盖后瓶盖歪斜",
    "description": "瓶盖歪斜靠人工抽检。",
    "confidentiality": "invited",
    "tag_names": "瓶盖",
}


@pytest.fixture
def owner():
    return person("enterprise", enterprise=EnterpriseFactory(name="甲企业"))


def opened_form(client, problem):
    """The fields of the edit form as the browser would send them back."""
    soup = BeautifulSoup(
        client.get(f"/problems/{problem.pk}/edit/").content.decode(), "html.parser"
    )
    return {**FORM, "version": soup.select_one("input[name=version]")["value"]}


def test_the_second_of_two_overlapping_edits_is_refused_then_can_be_applied(
    client, owner
):
    client.force_login(owner)
    client.post("/problems/new/", FORM)
    problem = Problem.objects.get()
    first_tab = opened_form(client, problem)
    second_tab = opened_form(client, problem)

    response = client.post(
        f"/problems/{problem.pk}/edit/", {**first_tab, "title": "第一个标签页的标题"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/problems/{problem.pk}/edit/", {**second_tab, "title": "第二个标签页的标题"}
    )
    assert response.status_code == 409
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert (
        "其他人修改了这条难题" in soup.select_one("[data-testid=conflict]").get_text()
    )
    assert soup.select_one("input[name=title]")["value"] == "第二个标签页的标题"
    problem.refresh_from_db()
    assert problem.title == "第一个标签页的标题"  # nothing half-stored

    # Saving the kept form again replaces the other change knowingly.
    again = {
        **second_tab,
        "title": "第二个标签页的标题",
        "version": soup.select_one("input[name=version]")["value"],
    }
    assert client.post(f"/problems/{problem.pk}/edit/", again).status_code == 302
    problem.refresh_from_db()
    assert problem.title == "第二个标签页的标题"


def test_an_edit_opened_before_a_transition_cannot_undo_it(client, owner):
    client.force_login(owner)
    client.post("/problems/new/", FORM)
    problem = Problem.objects.get()
    staff = person("staff")
    services.submit_problem(problem=problem, user=owner)
    client.force_login(staff)
    stale = opened_form(client, problem)
    services.start_review(problem=problem, user=staff)  # in another window
    response = client.post(f"/problems/{problem.pk}/edit/", stale)
    assert response.status_code == 409
    problem.refresh_from_db()
    assert problem.status == Status.IN_REVIEW
