"""The session pages: who sees what, sign-up and cancel forms, the organiser's
page, check-in by typed code, and the panel on the problem page."""

import datetime
import re

import pytest

from joint_sessions import services
from joint_sessions.models import Registration, VolunteerOffer
from tests.joint_sessions.support import NOW, open_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def post_sign_up(client, w, user, quota, session=None):
    session = session or w.session
    client.force_login(user)
    return client.post(
        f"/sessions/{session.pk}/sign-up/", {"quota": quota.pk, "acknowledged": "on"}
    )


def test_a_craftsman_volunteers_through_the_page_and_sees_code_and_link(client, w):
    a = w.crafts[0]
    client.force_login(a)
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert 'data-testid="sign-up"' in page
    assert "zqx-secret-room" not in page  # not confirmed yet
    assert client.get(f"/sessions/{w.session.pk}/meeting-link/").status_code == 403
    response = post_sign_up(client, w, a, w.vision)
    assert response.status_code == 302
    registration = Registration.objects.get(user=a)
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert registration.checkin_code in page and "<svg" in page
    assert "zqx-secret-room" in page
    link = client.get(f"/sessions/{w.session.pk}/meeting-link/")
    assert link.status_code == 302 and "zqx-secret-room" in link["Location"]


def test_the_waitlisted_do_not_get_the_meeting_link(client, w):
    a, b = w.crafts[:2]
    post_sign_up(client, w, a, w.vision)
    post_sign_up(client, w, b, w.vision)
    assert Registration.objects.get(user=b).state == "waitlisted"
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert "zqx-secret-room" not in page
    assert "1" in re.search(
        r'data-testid="my-registration">(.*?)</section>', page, re.S
    ).group(1)
    assert client.get(f"/sessions/{w.session.pk}/meeting-link/").status_code == 403


@pytest.mark.parametrize("case", ["full", "twice", "ineligible", "bad_quota", "late"])
def test_bad_sign_ups_answer_with_a_message_and_change_nothing(client, w, clock, case):
    a = w.crafts[0]
    user, quota = a, w.electric
    data = None
    if case == "full":  # the session is full: the sign-up waits, no error
        post_sign_up(client, w, w.crafts[1], w.vision)
        post_sign_up(client, w, w.crafts[2], w.electric)
    if case == "twice":
        post_sign_up(client, w, a, w.electric)
    if case == "ineligible":
        user = w.stranger
    if case == "bad_quota":
        data = {"quota": "9" * 30, "acknowledged": "on"}
    if case == "late":
        clock["now"] = w.session.signup_deadline + datetime.timedelta(minutes=1)
    before = list(Registration.objects.values_list("pk", "state"))
    client.force_login(user)
    response = client.post(
        f"/sessions/{w.session.pk}/sign-up/",
        data or {"quota": quota.pk, "acknowledged": "on"},
    )
    if case == "full":  # not an error: the waiting list
        assert response.status_code == 302
        assert Registration.objects.get(user=a).state == "waitlisted"
        return
    assert response.status_code in (400, 409)
    assert 'data-testid="error"' in response.content.decode()
    assert list(Registration.objects.values_list("pk", "state")) == before


def test_a_session_of_a_confidential_problem_does_not_exist_for_outsiders(client, w):
    secret = open_session(w, title="保密会诊", problems=[w.secret])
    for user in (None, w.crafts[0], w.stranger):
        if user:
            client.force_login(user)
        else:
            client.logout()
        assert client.get(f"/sessions/{secret.pk}/").status_code == 404
        listing = client.get("/sessions/").content.decode()
        assert "保密会诊" not in listing
        assert "第三次技术协作攻关" in listing
    client.force_login(w.staff)
    assert "保密会诊" in client.get(f"/sessions/{secret.pk}/").content.decode()


def test_cancel_through_the_page_offers_the_seat_to_the_next(client, w):
    a, b = w.crafts[:2]
    post_sign_up(client, w, a, w.vision)
    post_sign_up(client, w, b, w.vision)
    client.force_login(a)
    assert client.post(f"/sessions/{w.session.pk}/cancel/").status_code == 302
    assert Registration.objects.get(user=b).state == "offered"
    client.force_login(b)
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert f'action="/sessions/{w.session.pk}/accept/"' in page
    assert client.post(f"/sessions/{w.session.pk}/accept/").status_code == 302
    assert Registration.objects.get(user=b).state == "confirmed"
    client.force_login(a)  # cancelling twice: refused in words
    response = client.post(f"/sessions/{w.session.pk}/cancel/")
    assert response.status_code == 409


def test_the_organiser_sees_seats_per_skill_and_checks_people_in(client, w, clock):
    a, __, c, __ = w.crafts
    post_sign_up(client, w, a, w.vision)
    post_sign_up(client, w, c, w.electric)
    client.force_login(a)
    assert client.get(f"/sessions/{w.session.pk}/organise/").status_code == 403
    assert client.get(f"/sessions/{w.session.pk}/check-in/").status_code == 403
    client.force_login(w.staff)
    page = client.get(f"/sessions/{w.session.pk}/organise/").content.decode()
    seats = re.search(r'data-testid="seats">(.*?)</table>', page, re.S).group(1)
    rows = [
        re.sub(r"<[^>]+>", " ", r).split()
        for r in re.findall(r"<tr>(.*?)</tr>", seats, re.S)[1:]
    ]
    assert rows == [["电气自动化", "2", "1", "0"], ["机器视觉", "1", "1", "0"]]
    clock["now"] = w.session.starts_at
    code = Registration.objects.get(user=a).checkin_code
    url = f"/sessions/{w.session.pk}/check-in/"
    first = client.post(url, {"code": code})
    again = client.post(url, {"code": code})
    assert first.status_code == again.status_code == 200
    assert 'data-testid="checked-in"' in again.content.decode()
    assert Registration.objects.get(user=a).state == "attended"
    other = open_session(w, title="别的会诊")
    stranger = services.sign_up(
        session=other,
        user=w.crafts[1],
        quota=other.quotas.first(),
        acknowledged=True,
        now=NOW,
    )
    wrong = client.post(url, {"code": stranger.checkin_code})
    assert wrong.status_code == 409 and 'data-testid="error"' in wrong.content.decode()
    assert Registration.objects.get(pk=stranger.pk).state == "confirmed"
    count = re.search(
        r'data-testid="checkin-count">(.*?)</p>', client.get(url).content.decode()
    ).group(1)
    assert re.findall(r"\d+", count) == ["1", "2"]


def test_the_whole_session_through_the_organiser_pages(client, w, clock):
    a = w.crafts[0]
    post_sign_up(client, w, a, w.vision)
    client.force_login(w.staff)
    clock["now"] = w.session.starts_at
    code = Registration.objects.get(user=a).checkin_code
    client.post(f"/sessions/{w.session.pk}/check-in/", {"code": code})
    act = f"/sessions/{w.session.pk}/act/"
    assert client.post(act + "publish_report/").status_code == 409
    assert client.post(act + "hold/").status_code == 302
    registration = Registration.objects.get(user=a)
    response = client.post(
        act + "minutes/",
        {
            "minutes": "加装传感器，按品种做标记。",
            "proposal_text": "压盖机后加装歪盖传感器",
            "proposal_problem": w.problem.pk,
            "proposal_by": registration.pk,
        },
    )
    assert response.status_code == 302
    assert w.problem.proposals.get().author == a
    assert client.post(act + "publish_report/").status_code == 302
    client.logout()
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert "加装传感器" in page and 'data-testid="report"' in page
    # the problem page shows the session in place of the old form
    client.force_login(w.crafts[1])
    page = client.get(f"/problems/{w.problem.pk}/").content.decode()
    assert w.session.title in re.search(
        r'data-testid="sessions">(.*?)</ul>', page, re.S
    ).group(1)
    assert "act/hold_session" not in page
    assert client.post(act + "nonsense/").status_code == 403  # not staff
    client.force_login(w.staff)
    assert client.post(act + "nonsense/").status_code == 404


def test_a_craftsman_volunteers_on_the_problem_page(client, w):
    a = w.crafts[0]
    client.force_login(a)
    page = client.get(f"/problems/{w.problem.pk}/").content.decode()
    assert 'data-testid="volunteer"' in page
    url = f"/problems/{w.problem.pk}/volunteer/"
    assert client.post(url, {"note": "做过视觉剔除"}).status_code == 302
    assert client.post(url, {"note": "again"}).status_code == 409
    assert (
        client.post(f"/problems/{w.secret.pk}/volunteer/", {"note": "x"}).status_code
        == 404
    )
    assert VolunteerOffer.objects.count() == 1
    client.force_login(w.staff)
    page = client.get(f"/problems/{w.problem.pk}/").content.decode()
    assert "做过视觉剔除" in page


def test_staff_plan_a_session_with_quotas(client, w):
    client.force_login(w.staff)
    start = NOW + datetime.timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "第四次会诊",
        "problems": [w.problem.pk],
        "alliance": w.alliance.pk,
        "mode": "onsite",
        "address": "车间",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime(fmt),
        "signup_deadline": (start - datetime.timedelta(days=1)).strftime(fmt),
        "cancellation_cutoff": (start - datetime.timedelta(days=1)).strftime(fmt),
        "total_seats": "3",
        "quotas": "电气自动化 × 2\n机器视觉 x 1",
    }
    response = client.post("/sessions/new/", data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert client.post("/sessions/new/", {**data, "quotas": "乱写"}).status_code == 400
    bad = {**data, "ends_at": data["starts_at"]}
    assert client.post("/sessions/new/", bad).status_code == 400
    client.force_login(w.crafts[0])
    assert client.get("/sessions/new/").status_code == 403
