"""An invitation a studio declined shows as declined, with its reason, to
those who follow the problem: the enterprise (problem page and account page)
and union staff; nobody else sees who was invited."""

import pytest

from problems import services
from problems.models import Confidentiality
from tests.factories import EnterpriseFactory, ProblemFactory, StudioFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(db):
    problem = ProblemFactory(confidentiality=Confidentiality.PUBLIC, state="published")
    declined = StudioFactory(name="视觉工作室", slug="s-vision")
    waiting = StudioFactory(name="封盖工作室", slug="s-capping")
    staff = person("staff")
    services.invite_studios(problem=problem, user=staff, studios=[declined, waiting])
    services.decline_invitation(
        problem=problem,
        user=person("craftsman", studio=declined),
        reason="人手不足，年底前排不开",
    )
    return {
        "problem": problem,
        "owner": problem.created_by,
        "staff": staff,
        "waiting_member": person("craftsman", studio=waiting),
        "stranger": person("enterprise", enterprise=EnterpriseFactory()),
    }


def invitation_items(html):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser")
    listing = page.find(attrs={"data-testid": "invitations"})
    if listing is None:
        return None
    return {
        li["data-studio"]: " ".join(li.get_text().split())
        for li in listing.find_all("li")
    }


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_problem_page_marks_the_declined_invitation_with_its_reason(
    client, invited, who
):
    client.force_login(invited[who])
    html = client.get(f"/problems/{invited['problem'].pk}/").content.decode()
    items = invitation_items(html)
    assert set(items) == {"s-vision", "s-capping"}
    assert "谢绝：人手不足，年底前排不开" in items["s-vision"]
    assert "谢绝" not in items["s-capping"]


@pytest.mark.parametrize("who", ["waiting_member", "stranger", None])
def test_others_do_not_see_who_was_invited_or_why_a_studio_declined(
    client, invited, who
):
    if who:
        client.force_login(invited[who])
    response = client.get(f"/problems/{invited['problem'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert invitation_items(html) is None
    assert "人手不足" not in html


def test_the_enterprise_account_page_marks_the_declined_invitation(client, invited):
    client.force_login(invited["owner"])
    html = client.get("/accounts/").content.decode()
    from bs4 import BeautifulSoup

    problems = BeautifulSoup(html, "html.parser").find(
        attrs={"data-testid": "my-problems"}
    )
    (item,) = problems.find_all("li")
    marks = [" ".join(m.get_text().split()) for m in item.select(".declined")]
    assert marks == ["视觉工作室已谢绝：人手不足，年底前排不开"]


def test_the_english_problem_page_says_declined(client, invited):
    client.force_login(invited["owner"])
    html = client.get(f"/en/problems/{invited['problem'].pk}/").content.decode()
    assert "declined on " in invitation_items(html)["s-vision"]
    assert "人手不足，年底前排不开" in invitation_items(html)["s-vision"]
