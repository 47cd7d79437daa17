"""Seats, waiting list, offers, check-in, minutes and reminders, through the
services (the pages and the race test go through HTTP)."""

import datetime

import pytest
from django.core import mail

from joint_sessions import services
from joint_sessions.models import Registration, Session, VolunteerOffer
from joint_sessions.services import SessionError
from notifications.models import Notification
from problems.models import Invitation, ProblemEvent, Proposal, Status
from tests.joint_sessions.support import NOW, open_session, seat_freed, sign

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def states(session):
    return [
        (r.user_id, r.quota.skill, r.state)
        for r in session.registrations.select_related("quota").order_by("arrival")
    ]


def test_a_sign_up_fits_its_skill_and_the_total_else_it_waits(w):
    a, b, c, d = w.crafts
    assert sign(w, a, w.vision).state == "confirmed"
    # the vision skill has one seat: the next vision volunteer waits
    assert sign(w, b, w.vision).state == "waitlisted"
    assert sign(w, c, w.electric).state == "confirmed"
    # electric has room (2) but the session's total (2) is reached
    waiting = sign(w, d, w.electric)
    assert waiting.state == "waitlisted"
    assert services.waitlist_position(waiting) == 1
    w.session.refresh_from_db()
    assert w.session.status == "full"
    assert [r.arrival for r in w.session.registrations.order_by("arrival")] == [
        1,
        2,
        3,
        4,
    ]
    (waiting,) = Notification.objects.filter(user=d)
    assert waiting.key == "joint_session.waitlisted"
    assert waiting.params["position"] == 1


@pytest.mark.parametrize(
    "case",
    [
        "after_deadline",
        "ineligible",
        "unapproved",
        "enterprise",
        "twice",
        "cancelled",
        "other_quota",
        "not_acknowledged",
        "confidential",
    ],
)
def test_bad_sign_ups_are_refused_and_change_nothing(w, case):
    a = w.crafts[0]
    user, quota, now, ack = a, w.electric, NOW, True
    session = w.session
    if case == "after_deadline":
        now = session.signup_deadline + HOUR
    elif case == "ineligible":
        user = w.stranger
    elif case == "unapproved":
        user = w.unapproved
    elif case == "enterprise":
        user = w.owner
    elif case == "twice":
        sign(w, a, w.electric)
    elif case == "cancelled":
        services.cancel_session(session=session, user=w.staff, reason="停电")
    elif case == "other_quota":
        other = open_session(w, title="另一次")
        quota = other.quotas.first()
    elif case == "not_acknowledged":
        ack = False
    elif case == "confidential":
        session = open_session(w, title="机密会诊", problems=[w.secret])
        quota = session.quotas.get(skill="电气自动化")
    before = list(Registration.objects.values_list("pk", "state", "updated_at"))
    arrivals = Session.objects.get(pk=session.pk).arrivals
    with pytest.raises(SessionError) as refused:
        services.sign_up(
            session=session, user=user, quota=quota, acknowledged=ack, now=now
        )
    assert refused.value.messages[0]
    assert list(Registration.objects.values_list("pk", "state", "updated_at")) == before
    assert Session.objects.get(pk=session.pk).arrivals == arrivals


def test_an_invited_studio_outside_the_alliance_may_volunteer(w):
    services.invite_studios(session=w.session, user=w.staff, studios=[w.outside])
    assert sign(w, w.stranger, w.electric).state == "confirmed"
    # told of the invitation, then of the seat
    told = list(Notification.objects.filter(user=w.stranger).order_by("pk"))
    assert len(told) == 2 and all(w.session.title in n.text for n in told)


def test_a_freed_seat_is_offered_to_the_next_in_that_skill_in_arrival_order(w):
    a, b, c, d = w.crafts
    sign(w, a, w.vision)
    sign(w, c, w.electric)
    sign(w, b, w.vision)  # waits for vision
    sign(w, d, w.vision)  # waits too, later
    services.cancel(session=w.session, user=a, now=NOW)
    b_reg = Registration.objects.get(user=b)
    assert b_reg.state == "offered"
    assert b_reg.offer_expires_at == NOW + datetime.timedelta(
        hours=services.OFFER_HOURS
    )
    assert Registration.objects.get(user=d).state == "waitlisted"
    # the offered seat is held: nobody else can take it meanwhile
    services.accept_offer(session=w.session, user=b, now=NOW + HOUR)
    assert Registration.objects.get(user=b).state == "confirmed"
    # told: waiting, offered, confirmed
    told = [n.text for n in Notification.objects.filter(user=b).order_by("pk")]
    assert len(told) == 3 and all(w.session.title in t for t in told)


def test_an_offer_that_expires_passes_to_the_next_person(w):
    a, b, c, d = seat_freed(w, w.vision)
    expiry = Registration.objects.get(user=b).offer_expires_at
    # the beat, before the offer expires, changes nothing
    services.run_due(now=expiry - HOUR)
    assert Registration.objects.get(user=b).state == "offered"
    services.run_due(now=expiry + datetime.timedelta(minutes=1))
    services.run_due(now=expiry + datetime.timedelta(minutes=2))  # twice: same
    assert Registration.objects.get(user=b).state == "cancelled"
    assert Registration.objects.get(user=d).state == "offered"
    with pytest.raises(SessionError):
        services.accept_offer(session=w.session, user=b, now=expiry + HOUR)


def test_cancelling_after_the_cut_off_is_refused(w):
    a = w.crafts[0]
    sign(w, a, w.electric)
    with pytest.raises(SessionError):
        services.cancel(
            session=w.session, user=a, now=w.session.cancellation_cutoff + HOUR
        )
    assert Registration.objects.get(user=a).state == "confirmed"


def test_check_in_is_idempotent_by_code_and_works_late(w):
    a, b, c, __ = w.crafts
    ra, rc = sign(w, a, w.vision), sign(w, c, w.electric)
    start = w.session.starts_at
    other = open_session(w, title="另一次")
    stranger_code = services.sign_up(
        session=other, user=b, quota=other.quotas.first(), acknowledged=True, now=NOW
    ).checkin_code
    with pytest.raises(SessionError, match="another session|其他|另一"):
        services.check_in(
            session=w.session, user=w.staff, code=stranger_code, now=start
        )
    with pytest.raises(SessionError):
        services.check_in(
            session=w.session, user=w.staff, code=ra.checkin_code, now=NOW
        )
    first = services.check_in(
        session=w.session, user=w.staff, code=ra.checkin_code.lower(), now=start
    )
    again = services.check_in(
        session=w.session, user=w.staff, code=ra.checkin_code, now=start + HOUR
    )
    assert (first.already, again.already) == (False, True)
    assert Registration.objects.get(pk=ra.pk).checked_in_at == start
    services.mark_held(session=w.session, user=w.staff, now=start + 3 * HOUR)
    assert Registration.objects.get(pk=rc.pk).state == "no_show"
    # c came after all: checked in late by hand
    services.check_in(
        session=w.session, user=w.staff, code=rc.checkin_code, now=start + 4 * HOUR
    )
    assert Registration.objects.get(pk=rc.pk).state == "attended"
    assert ProblemEvent.objects.filter(
        problem=w.problem, action="hold_session"
    ).exists()
    w.problem.refresh_from_db()
    assert w.problem.status == Status.SESSION_HELD


def test_minutes_turn_proposals_into_board_proposals_and_the_report_is_published(w):
    a = w.crafts[0]
    ra = sign(w, a, w.vision)
    start = w.session.starts_at
    services.check_in(session=w.session, user=w.staff, code=ra.checkin_code, now=start)
    with pytest.raises(SessionError):
        services.publish_report(session=w.session, user=w.staff, now=start)
    services.mark_held(session=w.session, user=w.staff, now=start + HOUR)
    with pytest.raises(SessionError):  # no minutes yet
        services.publish_report(session=w.session, user=w.staff, now=start + HOUR)
    recorded = services.record_minutes(
        session=w.session,
        user=w.staff,
        minutes="现场会诊：加装传感器，按品种做标记。",
        proposals=[
            services.MinutedProposal(
                problem=w.problem, registration=ra, text="压盖机后加装歪盖传感器"
            )
        ],
    )
    proposal = Proposal.objects.get(pk=recorded[0].pk)
    assert (proposal.problem, proposal.author, proposal.studio) == (
        w.problem,
        a,
        w.inside[0],
    )
    assert Invitation.objects.filter(problem=w.problem, studio=w.inside[0]).exists()
    services.publish_report(session=w.session, user=w.staff, now=start + 2 * HOUR)
    w.session.refresh_from_db()
    assert w.session.status == "report_published"
    services.close_session(session=w.session, user=w.staff)


def test_a_proposal_by_someone_who_did_not_attend_is_refused_entirely(w):
    a, __, c, __ = w.crafts
    ra, rc = sign(w, a, w.vision), sign(w, c, w.electric)
    start = w.session.starts_at
    services.check_in(session=w.session, user=w.staff, code=ra.checkin_code, now=start)
    services.mark_held(session=w.session, user=w.staff, now=start + HOUR)
    with pytest.raises(SessionError):
        services.record_minutes(
            session=w.session,
            user=w.staff,
            minutes="纪要",
            proposals=[
                services.MinutedProposal(problem=w.problem, registration=ra, text="一"),
                services.MinutedProposal(problem=w.problem, registration=rc, text="二"),
            ],
        )
    assert not Proposal.objects.exists()
    w.session.refresh_from_db()
    assert w.session.minutes == ""


def test_a_cancelled_session_tells_everyone_signed_up_why(w):
    a, b, c, __ = w.crafts
    for user, quota in ((a, w.vision), (b, w.vision), (c, w.electric)):
        sign(w, user, quota)
    with pytest.raises(SessionError):
        services.cancel_session(session=w.session, user=w.staff, reason=" ")
    mail.outbox.clear()
    services.cancel_session(session=w.session, user=w.staff, reason="车间检修")
    assert set(Registration.objects.values_list("state", flat=True)) == {"cancelled"}
    for user in (a, b, c):
        assert any("车间检修" in n.text for n in Notification.objects.filter(user=user))


def test_reminders_are_sent_once_per_window_however_often_the_beat_runs(w):
    a, __, c, __ = w.crafts
    sign(w, a, w.vision)
    sign(w, c, w.electric)
    start = w.session.starts_at

    def reminders():
        return Notification.objects.filter(
            key__in=["joint_session.reminder_24h", "joint_session.reminder_2h"],
            params__session=w.session.title,
        )

    assert services.run_due(now=start - 30 * HOUR)["reminders"] == 0
    day_before = start - 23 * HOUR
    assert services.run_due(now=day_before)["reminders"] == 2
    assert services.run_due(now=day_before)["reminders"] == 0  # the beat again
    assert services.run_due(now=day_before + HOUR)["reminders"] == 0
    two_hours = start - datetime.timedelta(minutes=110)
    assert services.run_due(now=two_hours)["reminders"] == 2
    assert services.run_due(now=two_hours)["reminders"] == 0
    assert reminders().count() == 4
    assert sorted(reminders().values_list("user", flat=True)) == sorted(
        [a.pk, a.pk, c.pk, c.pk]
    )


def test_a_craftsman_volunteers_once_for_a_problem_they_may_read(w):
    a = w.crafts[0]
    services.volunteer(problem=w.problem, user=a, note="我们做过视觉剔除")
    with pytest.raises(SessionError):
        services.volunteer(problem=w.problem, user=w.crafts[0], note="again")
    with pytest.raises(SessionError):  # cannot read the invited-only problem
        services.volunteer(problem=w.secret, user=a, note="x")
    with pytest.raises(SessionError):
        services.volunteer(problem=w.problem, user=w.owner, note="x")
    assert VolunteerOffer.objects.count() == 1
