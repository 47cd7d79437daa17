"""Union staff administer through the Wagtail admin: their access follows
their role; problems are found and corrected there, never created or moved
along their lifecycle there."""

import pytest
from bs4 import BeautifulSoup

from accounts.models import Role
from problems.models import Confidentiality, Problem, Status
from tests.factories import EnterpriseFactory, ProblemFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = ProblemFactory(
            enterprise=EnterpriseFactory(name="甲企业"),
            title="焊枪一摆就抖",
            description="机器人焊接摆动时焊枪抖动，焊缝成形差。",
            confidentiality=Confidentiality.PUBLIC,
            state="published",
        )
    problem.refresh_from_db()
    return problem, person("staff")


def test_staff_find_and_correct_a_problem_in_the_admin(
    client, published, django_capture_on_commit_callbacks
):
    problem, staff = published
    client.force_login(staff)
    listing = client.get("/admin/problem/", {"q": "焊枪"})
    assert listing.status_code == 200
    assert "焊枪一摆就抖" in listing.content.decode()
    assert "/admin/problem/new/" not in listing.content.decode()  # no add button

    form = BeautifulSoup(
        client.get(f"/admin/problem/edit/{problem.pk}/").content.decode(),
        "html.parser",
    )
    assert form.select_one("[name=status]") is None  # the lifecycle stays on the board
    data = {
        "title": "机器人焊接摆动时焊枪抖动",
        "description": problem.description,
        "confidentiality": "public",
        "tags": "焊接, 振动",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/problem/edit/{problem.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.title == "机器人焊接摆动时焊枪抖动"
    assert problem.status == Status.MATCHED  # unchanged
    assert sorted(problem.tags.names()) == ["振动", "焊接"]
    # the public search box follows the correction
    found = client.get("/search/", {"q": "机器人焊接", "type": "problem"})
    soup = BeautifulSoup(found.content.decode(), "html.parser")
    titles = [h.get_text() for h in soup.select(".result-problem h3")]
    assert titles == ["机器人焊接摆动时焊枪抖动"]
    history = client.get(f"/admin/problem/history/{problem.pk}/")
    assert history.status_code == 200 and staff.username in history.content.decode()


def test_admin_access_follows_the_role(client):
    colleague = person("staff")
    client.force_login(colleague)
    assert client.get("/admin/").status_code == 200
    colleague.person.role = Role.ENTERPRISE
    colleague.person.enterprise = EnterpriseFactory()
    colleague.person.save()
    colleague.refresh_from_db()
    client.force_login(colleague)
    assert client.get("/admin/").status_code == 302


def test_staff_edit_studios_and_people_in_the_admin(client):
    from tests.factories import StudioFactory

    studio = StudioFactory(name="焊接工作室")
    client.force_login(person("staff"))
    edit = client.get(f"/admin/snippets/studios/studio/edit/{studio.pk}/")
    assert edit.status_code == 200
    people = client.get("/admin/person/")
    assert people.status_code == 200
