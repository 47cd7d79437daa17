"""/api/v1/: the same permission rules as the pages, and a schema-driven run."""

import pytest
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from problems import services
from problems.models import Confidentiality, Problem, Status
from tests.factories import EnterpriseFactory, StudioFactory, pass_second_factor, person
from tests.support import call_as, load_api_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    a = EnterpriseFactory(name="甲企业")
    return {
        "a": person("enterprise", enterprise=a),
        "b": person("enterprise", enterprise=EnterpriseFactory(name="乙企业")),
        "staff": person("staff"),
        "craftsman": person("craftsman", studio=StudioFactory(slug="s-api")),
    }


def api(user=None):
    client = APIClient()
    if user:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}"
        )
    return client


def post_problem(client, **fields):
    """Post a new problem (a title, a description and the invited level unless
    given): the API's answer."""
    body = {
        "title": "焊枪一摆就抖",
        "description": "摆动焊时焊枪末端抖动。",
        "confidentiality": "invited",
        **fields,
    }
    return client.post("/api/v1/problems/", body, format="json")


def edit_problem(client, pk, fields, **headers):
    """Patch a problem's fields: the API's answer."""
    return client.patch(f"/api/v1/problems/{pk}/", fields, format="json", **headers)


def test_an_enterprise_posts_edits_and_submits_through_the_api(people):
    client = api(people["a"])
    created = post_problem(client, tags=["焊枪", "抖动"])
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == Status.DRAFT and created.json()["tags"] == [
        "抖动",
        "焊枪",
    ]
    assert edit_problem(client, pk, {"title": "焊枪摆动时抖"}).status_code == 200
    submitted = client.post(f"/api/v1/problems/{pk}/actions/submit/")
    assert (
        submitted.status_code == 200 and submitted.json()["status"] == Status.SUBMITTED
    )
    assert edit_problem(client, pk, {"title": "改"}).status_code == 403
    again = client.post(f"/api/v1/problems/{pk}/actions/submit/")
    # a state conflict (e.g. a second submit): 409, with the reason
    assert again.status_code == 409 and "不能提交审核" in again.json()["detail"][0]


def test_others_learn_nothing_of_a_confidential_problem(people):
    problem = Problem.objects.create(
        enterprise=people["a"].person.enterprise,
        title="保密难题",
        description="…",
        confidentiality=Confidentiality.INVITED,
    )
    for user in (None, people["b"], people["craftsman"]):
        client = api(user)
        assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
        assert client.get(f"/api/v1/problems/{problem.pk}/matches/").status_code == 404
        assert (
            client.post(f"/api/v1/problems/{problem.pk}/actions/submit/").status_code
            == 404
        )
        listed = client.get("/api/v1/problems/").json()["results"]
        assert problem.pk not in [p["id"] for p in listed]
    # A token is one factor: union staff's are refused; their session, once it
    # has passed the second factor, sees everything.
    assert (
        api(people["staff"]).get(f"/api/v1/problems/{problem.pk}/").status_code == 403
    )
    session = APIClient()
    session.force_login(people["staff"])
    assert session.get(f"/api/v1/problems/{problem.pk}/").status_code == 403
    pass_second_factor(session, people["staff"])
    assert session.get(f"/api/v1/problems/{problem.pk}/").status_code == 200


def test_only_approved_enterprises_post_and_only_drafts_are_deleted(people):
    assert post_problem(api()).status_code in (401, 403)
    assert post_problem(api(people["craftsman"])).status_code == 403
    client = api(people["a"])
    pk = post_problem(client).json()["id"]
    services.submit_problem(problem=Problem.objects.get(pk=pk), user=people["a"])
    assert client.delete(f"/api/v1/problems/{pk}/").status_code == 403
    assert Problem.objects.filter(pk=pk, status=Status.SUBMITTED).exists()


def test_studios_are_readable_by_anyone(people):
    response = api().get("/api/v1/studios/s-api/")
    assert response.status_code == 200 and response.json()["id"] == "s-api"
    assert api().get("/api/v1/studios/").json()["count"] == 1


# --- schema-driven ------------------------------------------------------------


schema = load_api_schema()


def test_the_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/problems/" in response.content


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_the_schema_allows_breaks_the_server(
    case, people, keep_test_connection
):
    call_as(case, people["a"])


def test_an_edit_naming_an_old_version_is_refused_with_412(people):
    client = api(people["a"])
    pk = post_problem(client).json()["id"]
    fetched = client.get(f"/api/v1/problems/{pk}/")
    etag = fetched["ETag"]
    assert etag == f'"{fetched.json()["version"]}"'
    first = edit_problem(client, pk, {"title": "第一次"}, HTTP_IF_MATCH=etag)
    assert (
        first.status_code == 200
        and first.json()["version"] != fetched.json()["version"]
    )
    stale = edit_problem(client, pk, {"title": "第二次"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and "If-Match" in stale.json()["detail"]
    assert client.get(f"/api/v1/problems/{pk}/").json()["title"] == "第一次"
