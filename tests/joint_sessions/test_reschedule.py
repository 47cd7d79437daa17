"""Moving a session: one service changes time and place, everyone still
signed up is told what it was and what it is now, reminders are re-armed;
a session that is held, cancelled or closed stays where it was."""

import datetime

import pytest
from django.utils import timezone, translation

from joint_sessions import services
from joint_sessions.models import Registration, RegistrationState, Session
from notifications.models import Notification
from tests.joint_sessions.support import NOW, seat_freed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (pages: the /en/ addresses)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(w):
    """c confirmed, b offered a freed seat, d waiting, a cancelled."""
    a, b, c, d = seat_freed(w, w.electric)
    states = dict(Registration.objects.values_list("user", "state"))
    assert states == {
        a.pk: RegistrationState.CANCELLED,
        b.pk: RegistrationState.OFFERED,
        c.pk: RegistrationState.CONFIRMED,
        d.pk: RegistrationState.WAITLISTED,
    }
    return a, b, c, d


def move(w, **changes):
    session = Session.objects.get(pk=w.session.pk)
    values = {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "mode": session.mode,
        "address": session.address,
        "meeting_link": session.meeting_link,
    }
    values.update(changes)
    return services.reschedule(
        session=session, user=w.staff, move=services.Move(**values)
    )


def snapshot(w):
    return Session.objects.filter(pk=w.session.pk).values(*services.MOVED_FIELDS)[0]


def told(user):
    return [n.text for n in Notification.objects.filter(user=user) if "→" in n.text]


def test_everyone_signed_up_is_told_old_and_new_and_reminders_rearm(w, people):
    a, b, c, d = people
    Registration.objects.update(reminded_24h_at=NOW, reminded_2h_at=NOW)
    later = w.session.starts_at + datetime.timedelta(days=2)
    move(
        w,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
        mode="onsite",
        address="二号车间",
        meeting_link="",
    )
    session = Session.objects.get(pk=w.session.pk)
    assert (session.starts_at, session.address, session.mode) == (
        later,
        "二号车间",
        "onsite",
    )
    for user in (b, c, d):
        (text,) = told(user)
        assert "宝鸡啤酒厂包装车间" in text and "二号车间" in text  # old → new
        assert "2026-12-08 09:00" in text and "2026-12-10 09:00" in text
    assert told(a) == []  # cancelled: not told
    for registration in Registration.objects.exclude(user=a):
        assert registration.reminded_24h_at is None
        assert registration.reminded_2h_at is None
    assert services.send_reminders(now=later - datetime.timedelta(hours=20)) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends_at": NOW + datetime.timedelta(days=6)}, "end after it starts"),
        ({"starts_at": NOW - datetime.timedelta(hours=1)}, "into the past"),
        (  # the sign-up deadline (start − 1 day) would fall after the start
            {
                "starts_at": NOW + datetime.timedelta(hours=5),
                "ends_at": NOW + datetime.timedelta(hours=8),
            },
            "sign-up deadline",
        ),
        ({"mode": "online", "meeting_link": ""}, "meeting link"),
        ({"mode": "onsite", "address": " "}, "address"),
        ({}, "Nothing has changed"),
    ],
)
def test_a_bad_move_is_refused_and_changes_nothing(w, people, changes, message):
    before = snapshot(w)
    with pytest.raises(services.SessionError, match=message):
        move(w, **changes)
    assert snapshot(w) == before
    assert all(told(user) == [] for user in people)


def test_the_deadlines_may_move_with_the_start(w, people):
    soon = NOW + datetime.timedelta(hours=5)
    move(
        w,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        signup_deadline=soon - datetime.timedelta(hours=1),
        cancellation_cutoff=soon - datetime.timedelta(hours=2),
    )
    assert snapshot(w)["signup_deadline"] == soon - datetime.timedelta(hours=1)


@pytest.mark.parametrize("end", ["held", "cancelled", "closed"])
def test_a_held_cancelled_or_closed_session_cannot_be_moved(w, people, clock, end):
    if end == "cancelled":
        services.cancel_session(session=w.session, user=w.staff, reason="停电")
    else:
        clock["now"] = w.session.starts_at + datetime.timedelta(hours=1)
        services.mark_held(session=w.session, user=w.staff, now=clock["now"])
        if end == "closed":
            Session.objects.filter(pk=w.session.pk).update(status="closed")
    before = snapshot(w)
    later = w.session.starts_at + datetime.timedelta(days=3)
    with pytest.raises(services.SessionError, match="cannot be moved"):
        move(w, starts_at=later, ends_at=later + datetime.timedelta(hours=1))
    assert snapshot(w) == before


def test_only_staff_move_a_session(w, people):
    with pytest.raises(services.PermissionDenied):
        services.reschedule(
            session=w.session,
            user=w.crafts[2],
            move=services.Move(
                starts_at=w.session.starts_at,
                ends_at=w.session.ends_at,
                mode="onsite",
                address="别处",
            ),
        )


def form_data(session, **changes):
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    data = {
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "mode": session.mode,
        "address": session.address,
        "meeting_link": session.meeting_link,
        "signup_deadline": local(session.signup_deadline),
        "cancellation_cutoff": local(session.cancellation_cutoff),
    }
    data.update(changes)
    return data


def test_the_organiser_moves_the_session_with_the_form(client, w, people):
    url = f"/sessions/{w.session.pk}/organise/"
    client.force_login(w.staff)
    page = client.get(url).content.decode()
    assert 'data-testid="reschedule-form"' in page
    assert 'value="2026-12-08T09:00"' in page  # the current start, to edit
    response = client.post(
        f"/sessions/{w.session.pk}/act/reschedule/",
        form_data(w.session, address="三号车间", ends_at="2026-12-08T18:00"),
    )
    assert response.status_code == 302
    assert snapshot(w)["address"] == "三号车间"
    assert len(told(people[2])) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends_at": "2026-12-08T08:00"}, "must end after it starts"),
        ({"starts_at": "not a time"}, "Starts at"),
        ({"mode": "teleport"}, "Mode"),
    ],
)
def test_bad_form_input_answers_with_a_message_and_changes_nothing(
    client, w, people, changes, message
):
    client.force_login(w.staff)
    before = snapshot(w)
    response = client.post(
        f"/en/sessions/{w.session.pk}/act/reschedule/",
        form_data(w.session, **changes),
    )
    assert response.status_code == 409
    assert message in response.content.decode()
    assert snapshot(w) == before


def test_a_craftsman_cannot_post_the_form(client, w, people):
    client.force_login(w.crafts[2])
    before = snapshot(w)
    response = client.post(
        f"/sessions/{w.session.pk}/act/reschedule/",
        form_data(w.session, address="别处"),
    )
    assert response.status_code == 403
    assert snapshot(w) == before
