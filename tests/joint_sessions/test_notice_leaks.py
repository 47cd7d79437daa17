"""Notifications about a session (in-app and by email) name its title, time
and place: they go only to people who may see the session. A studio invited
by mistake to a session on a confidential problem it may not read, or a
craftsman who signed up before the problem was made confidential, is told
nothing about it."""

import datetime

import pytest

from joint_sessions import services
from joint_sessions.models import RegistrationState
from notifications.models import Notification
from problems import services as board
from problems.models import Confidentiality, Invitation
from tests.joint_sessions.support import NOW, move, open_session

pytestmark = pytest.mark.django_db


def told(user):
    return list(
        Notification.objects.filter(user=user, key__startswith="joint_session.")
        .order_by("pk")
        .values_list("key", flat=True)
    )


def test_inviting_a_studio_that_may_not_read_the_problem_tells_it_nothing(w):
    secret = open_session(w, title="机密会诊 灌装阀", problems=[w.secret])
    services.invite_studios(session=secret, user=w.staff, studios=[w.outside])
    assert told(w.stranger) == []
    # a studio that may read it is told
    services.invite_studios(session=w.session, user=w.staff, studios=[w.outside])
    assert told(w.stranger) == ["joint_session.invited"]


def test_a_problem_made_confidential_stops_the_session_notices(w):
    a = w.crafts[0]
    services.sign_up(
        session=w.session, user=a, quota=w.electric, acknowledged=True, now=NOW
    )
    assert told(a) == ["joint_session.signed_up"]
    w.problem.confidentiality = Confidentiality.INVITED
    w.problem.save()
    start = move(w, days=1, address="宝鸡啤酒厂二号车间")
    assert services.send_reminders(now=start - datetime.timedelta(hours=23)) == 0
    services.cancel_session(session=w.session, user=w.staff, reason="改期")
    assert told(a) == ["joint_session.signed_up"]


def test_a_freed_seat_skips_someone_waiting_who_may_no_longer_see_the_session(w):
    a, b, c, d = w.crafts
    for user in (a, b, c, d):
        services.sign_up(
            session=w.session, user=user, quota=w.electric, acknowledged=True, now=NOW
        )
    w.problem.confidentiality = Confidentiality.INVITED
    w.problem.save()
    board.invite_studios(
        problem=w.problem,
        studios=[w.inside[0], w.inside[1], w.inside[3]],
        user=w.staff,
    )
    services.cancel(session=w.session, user=a, now=NOW)
    states = dict(w.session.registrations.values_list("user", "state"))
    assert states[c.pk] == RegistrationState.WAITLISTED
    assert states[d.pk] == RegistrationState.OFFERED
    # nor is a seat offered taken by someone who lost sight of it since
    Invitation.objects.filter(problem=w.problem, studio=w.inside[3]).delete()
    with pytest.raises(services.SessionError):
        services.accept_offer(session=w.session, user=d, now=NOW)
    assert w.session.registrations.get(user=d).state == RegistrationState.OFFERED
