"""/api/v1/sessions/: the pages' rules over JSON — who sees a session, who may
sign up, seats and the waiting list, check-in — and its part of the schema."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.people import is_staff
from joint_sessions import services
from joint_sessions.models import Registration, RegistrationState, SessionStatus
from problems.models import Confidentiality
from tests.factories import alliance as make_alliance
from tests.factories import pass_second_factor
from tests.joint_sessions.support import open_session, plan, publish
from tests.support import call_as, load_api_schema

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is None:
        return client
    if is_staff(user):
        client.force_login(user)  # staff: a session with the second factor
        pass_second_factor(client, user)
    else:
        token = Token.objects.get_or_create(user=user)[0]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def said(response, message, **params):
    """Whether the error body carries ``message`` in the site's language."""
    with translation.override(django_settings.LANGUAGE_CODE):
        text = gettext(message) % params if params else gettext(message)
    return text in str(response.json()["detail"])


def url(session, tail=""):
    return f"/api/v1/sessions/{session.pk}/{tail}"


def sign_up(client, session, quota, **extra):
    return client.post(
        url(session, "sign-up/"),
        {"quota": quota.pk, "acknowledged": True, **extra},
        format="json",
    )


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {s["id"] for s in response.json()["results"]}


# --- who sees what ---------------------------------------------------------------


def test_the_list_shows_only_sessions_the_caller_may_see(w):
    secret = open_session(w, title="机密会诊", problems=[w.secret])
    draft = services.create_session(user=w.staff, plan=plan(w, title="草稿会诊"))
    assert ids(api().get("/api/v1/sessions/")) == {w.session.pk}
    assert ids(api(w.stranger).get("/api/v1/sessions/")) == {w.session.pk}
    assert ids(api(w.staff).get("/api/v1/sessions/")) == {
        w.session.pk,
        secret.pk,
        draft.pk,
    }
    for who in (None, w.stranger, w.crafts[0]):
        assert api(who).get(url(secret)).status_code == 404
        assert api(who).get(url(draft)).status_code == 404
    assert api().get("/api/v1/sessions/99999999/").status_code == 404


def test_the_list_filters_by_alliance(w):
    other = open_session(w, title="别家会诊", alliance=make_alliance("另一个联盟"))
    client = api()
    assert ids(client.get(f"/api/v1/sessions/?alliance={w.alliance.pk}")) == {
        w.session.pk
    }
    assert ids(client.get("/api/v1/sessions/")) == {w.session.pk, other.pk}
    bad = client.get("/api/v1/sessions/?alliance=abc")
    assert bad.status_code == 400 and "alliance" in bad.json()


def test_the_detail_has_seats_per_skill_and_no_link_for_who_has_no_seat(w):
    body = api().get(url(w.session)).json()
    assert body["title"] == "第三次技术协作攻关"
    assert body["status"] == "open"
    assert [(s["skill"], s["seats"], s["taken"]) for s in body["seats"]] == [
        ("电气自动化", 2, 0),
        ("机器视觉", 1, 0),
    ]
    assert body["registration"] is None
    assert body["meeting_link"] is None
    assert [p["id"] for p in body["problems"]] == [w.problem.pk]
    assert api(w.crafts[0]).get(url(w.session)).json()["meeting_link"] is None
    assert api(w.staff).get(url(w.session)).json()["meeting_link"] == (
        "https://meet.example.org/zqx-secret-room"
    )


# --- signing up -------------------------------------------------------------------


def test_a_craftsman_signs_up_and_sees_the_seat_code_and_link(w):
    client = api(w.crafts[0])
    response = sign_up(client, w.session, w.vision)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "confirmed"
    assert response.json()["skill"] == "机器视觉"
    body = client.get(url(w.session)).json()
    mine = body["registration"]
    assert mine["state"] == "confirmed" and mine["waitlist_position"] is None
    registration = Registration.objects.get(user=w.crafts[0])
    assert mine["checkin_code"] == registration.checkin_code
    assert body["meeting_link"] == "https://meet.example.org/zqx-secret-room"
    assert [s["taken"] for s in body["seats"]] == [0, 1]


def test_the_skill_can_be_named_instead_of_its_id(w):
    response = api(w.crafts[0]).post(
        url(w.session, "sign-up/"),
        {"skill": "电气自动化", "acknowledged": True},
        format="json",
    )
    assert response.status_code == 201 and response.json()["skill"] == "电气自动化"


def test_signing_up_twice_is_a_409_with_a_message(w):
    client = api(w.crafts[0])
    assert sign_up(client, w.session, w.electric).status_code == 201
    again = sign_up(client, w.session, w.vision)
    assert again.status_code == 409
    assert said(again, "You have already signed up for this session.")
    assert Registration.objects.filter(user=w.crafts[0]).count() == 1


def test_a_full_skill_puts_people_on_the_waiting_list_with_their_position(w):
    assert sign_up(api(w.crafts[0]), w.session, w.vision).json()["state"] == (
        "confirmed"
    )
    second, third = api(w.crafts[1]), api(w.crafts[2])
    waiting = sign_up(second, w.session, w.vision).json()
    assert waiting["state"] == "waitlisted" and waiting["waitlist_position"] == 1
    assert sign_up(third, w.session, w.vision).json()["waitlist_position"] == 2
    position = third.get(url(w.session, "waitlist-position/"))
    assert position.status_code == 200
    assert position.json() == {
        "state": "waitlisted",
        "skill": "机器视觉",
        "position": 2,
    }
    assert third.get(url(w.session)).json()["registration"]["waitlist_position"] == 2
    assert third.get(url(w.session)).json()["meeting_link"] is None


def test_cancel_offers_the_seat_and_the_next_accepts_it(w):
    first, second = api(w.crafts[0]), api(w.crafts[1])
    sign_up(first, w.session, w.vision)
    sign_up(second, w.session, w.vision)
    cancelled = first.post(url(w.session, "cancel/"))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert second.get(url(w.session, "waitlist-position/")).json()["state"] == (
        "offered"
    )
    assert second.get(url(w.session)).json()["meeting_link"] is None  # not yet
    accepted = second.post(url(w.session, "accept-offer/"))
    assert accepted.status_code == 200 and accepted.json()["state"] == "confirmed"
    assert second.get(url(w.session)).json()["meeting_link"]
    # nothing left to accept or cancel twice
    assert second.post(url(w.session, "accept-offer/")).status_code == 409
    assert first.post(url(w.session, "cancel/")).status_code == 409


def test_who_may_not_sign_up_is_refused_and_nothing_is_written(w):
    # anonymous: authentication needed
    assert sign_up(api(), w.session, w.vision).status_code in (401, 403)
    # a craftsman of a studio outside the alliance, not invited
    refused = sign_up(api(w.stranger), w.session, w.vision)
    assert refused.status_code == 403
    assert said(
        refused,
        "Your studio is neither in the organising alliance nor invited to "
        "this session.",
    )
    # an enterprise member, staff: no studio
    assert sign_up(api(w.owner), w.session, w.vision).status_code == 403
    assert sign_up(api(w.staff), w.session, w.vision).status_code == 403
    # a session they may not see at all: 404, as on the pages
    secret = open_session(w, title="机密会诊", problems=[w.secret])
    quota = secret.quotas.first()
    assert sign_up(api(w.stranger), secret, quota).status_code == 404
    assert not Registration.objects.exists()


def test_bad_bodies_are_400s(w):
    client = api(w.crafts[0])
    other = open_session(w, title="另一场")
    cases = [
        {"quota": other.quotas.first().pk, "acknowledged": True},  # not this one's
        {"skill": "焊接", "acknowledged": True},  # no such skill here
        {"acknowledged": True},  # no skill
        {"quota": w.vision.pk, "skill": "机器视觉"},  # both
        {"quota": str(w.vision.pk)},  # a string
        {"quota": w.vision.pk, "acknowledged": "yes"},
        [],
    ]
    for body in cases:
        response = client.post(url(w.session, "sign-up/"), body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert not Registration.objects.exists()


def test_a_refusal_of_the_service_is_a_409_with_its_message(w):
    client = api(w.crafts[0])
    unread = client.post(
        url(w.session, "sign-up/"), {"quota": w.vision.pk}, format="json"
    )
    assert unread.status_code == 409
    assert said(
        unread, "Please confirm you have read the safety and confidentiality notes."
    )
    services.cancel_session(session=w.session, user=w.staff, reason="设备检修")
    called_off = sign_up(client, w.session, w.vision)
    assert called_off.status_code == 409
    with translation.override(django_settings.LANGUAGE_CODE):
        status = str(SessionStatus.CANCELLED.label)
    assert said(
        called_off,
        "This session does not take sign-ups (it is “%(status)s”).",
        status=status,
    )
    assert client.get(url(w.session, "waitlist-position/")).status_code == 404


# --- check-in ---------------------------------------------------------------------


@pytest.fixture
def today(w):
    """A session starting within the hour, one attendee with a seat; and
    another session with an attendee of its own."""
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=50)
    times = {
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "signup_deadline": start - datetime.timedelta(minutes=20),
        "cancellation_cutoff": start - datetime.timedelta(minutes=30),
    }
    session = open_session(w, title="今天的会诊", **times)
    other = open_session(w, title="另一场会诊", **times)
    mine = services.sign_up(
        session=session,
        user=w.crafts[0],
        quota=session.quotas.first(),
        acknowledged=True,
    )
    theirs = services.sign_up(
        session=other, user=w.crafts[1], quota=other.quotas.first(), acknowledged=True
    )
    return session, mine, theirs


def test_staff_check_in_by_code_once_even_when_retried(w, today):
    session, mine, __ = today
    staff = api(w.staff)
    first = staff.post(
        url(session, "check-in/"), {"code": mine.checkin_code.lower()}, format="json"
    )
    assert first.status_code == 200, first.content
    assert first.json()["already"] is False
    assert first.json()["attendee"]["state"] == "attended"
    again = staff.post(
        url(session, "check-in/"), {"code": mine.checkin_code}, format="json"
    )
    assert again.status_code == 200 and again.json()["already"] is True
    mine.refresh_from_db()
    assert mine.state == RegistrationState.ATTENDED


def test_check_in_by_anyone_but_staff_is_403(w, today):
    session, mine, __ = today
    for who in (w.crafts[0], w.crafts[1], w.owner):
        response = api(who).post(
            url(session, "check-in/"), {"code": mine.checkin_code}, format="json"
        )
        assert response.status_code == 403, who
    assert api().post(
        url(session, "check-in/"), {"code": mine.checkin_code}, format="json"
    ).status_code in (401, 403)
    mine.refresh_from_db()
    assert mine.state == RegistrationState.CONFIRMED


def test_a_code_of_another_session_is_refused(w, today):
    session, __, theirs = today
    staff = api(w.staff)
    response = staff.post(
        url(session, "check-in/"), {"code": theirs.checkin_code}, format="json"
    )
    assert response.status_code == 409
    assert said(response, "This code belongs to another session.")
    theirs.refresh_from_db()
    assert theirs.state == RegistrationState.CONFIRMED
    unknown = staff.post(url(session, "check-in/"), {"code": "NOSUCH"}, format="json")
    assert unknown.status_code == 409
    assert staff.post(url(session, "check-in/"), {}, format="json").status_code == 400


def test_an_alliance_only_session_is_404_to_another_alliances_craftsman(w):
    allies = publish(
        w.owner, w.staff, w.enterprise, "联盟内：封箱跑偏", Confidentiality.ALLIANCE
    )
    allies.alliances.add(w.alliance)
    session = open_session(w, title="联盟会诊", problems=[allies])
    assert api(w.crafts[0]).get(url(session)).status_code == 200
    for who in (None, w.stranger):
        client = api(who)
        assert client.get(url(session)).status_code == 404
        assert session.pk not in ids(client.get("/api/v1/sessions/"))
        assert client.get(url(session, "waitlist-position/")).status_code in (
            401,
            403,
            404,
        )


# --- the schema -------------------------------------------------------------------


schema = load_api_schema().include(path_regex=r"^/api/v1/sessions/")


def test_the_schema_describes_every_session_operation(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    operations = {(path, method) for path, ops in paths.items() for method in ops} & {
        ("/api/v1/sessions/", "get"),
        ("/api/v1/sessions/{id}/", "get"),
        ("/api/v1/sessions/{id}/sign-up/", "post"),
        ("/api/v1/sessions/{id}/cancel/", "post"),
        ("/api/v1/sessions/{id}/accept-offer/", "post"),
        ("/api/v1/sessions/{id}/check-in/", "post"),
        ("/api/v1/sessions/{id}/waitlist-position/", "get"),
    }
    assert len(operations) == 7
    sign_up_op = paths["/api/v1/sessions/{id}/sign-up/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(sign_up_op["responses"])


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_the_schema_allows_breaks_the_sessions_api(
    case, w, keep_test_connection
):
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = w.session.pk  # an existing, visible session
    call_as(case, w.crafts[0])
