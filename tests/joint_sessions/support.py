"""Plain helpers of the joint sessions tests: a fixed clock, a published
problem, a session plan (fixtures are in conftest.py)."""

import datetime

from django.utils import timezone

from joint_sessions import services
from problems import services as board
from problems.models import Problem

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))


def publish(owner, staff, enterprise, title, confidentiality):
    problem = Problem.objects.create(
        enterprise=enterprise,
        created_by=owner,
        title=title,
        description="瓶盖歪斜和错盖靠人工抽检。",
        confidentiality=confidentiality,
    )
    board.submit_problem(problem=problem, user=owner)
    board.start_review(problem=problem, user=staff)
    board.publish_problem(problem=problem, user=staff)
    return problem


def plan(w, **overrides):
    values = {
        "title": "第三次技术协作攻关",
        "alliance": w.alliance,
        "problems": [w.problem],
        "starts_at": NOW + datetime.timedelta(days=7),
        "total_seats": 2,
        "quotas": [("电气自动化", 2), ("机器视觉", 1)],
        "address": "宝鸡啤酒厂包装车间",
        "mode": "hybrid",
        "meeting_link": "https://meet.example.org/zqx-secret-room",
        "safety_notes": "穿劳保鞋",
        "confidentiality_notes": "不得拍照",
    }
    values.update(overrides)
    return services.Plan.starting(**values)


def open_session(w, **overrides):
    session = services.create_session(user=w.staff, plan=plan(w, **overrides))
    return services.open_session(session=session, user=w.staff)


def move(w, *, days, address):
    """Staff move the world's session ``days`` later (two hours long) to
    ``address``; the new start."""
    later = w.session.starts_at + datetime.timedelta(days=days)
    services.reschedule(
        session=w.session,
        user=w.staff,
        move=services.Move(
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=2),
            mode=w.session.mode,
            address=address,
            meeting_link=w.session.meeting_link,
        ),
        now=NOW,
    )
    return later


def held(w, attendees, *, session=None, minutes="现场会诊：加装传感器。", proposals=()):
    """``session`` (``w.session`` by default) held: each (user, quota) of
    ``attendees`` signed up a week before and checked in at the start; the
    session marked held and its minutes recorded, with ``proposals`` as
    (registration index, text) for the session's first problem. Returns the
    registrations."""
    session = session or w.session
    start = session.starts_at
    registrations = [
        services.sign_up(
            session=session, user=user, quota=quota, acknowledged=True, now=NOW
        )
        for user, quota in attendees
    ]
    for registration in registrations:
        services.check_in(
            session=session, user=w.staff, code=registration.checkin_code, now=start
        )
    services.mark_held(session=session, user=w.staff, now=start)
    problem = session.problems.first()
    services.record_minutes(
        session=session,
        user=w.staff,
        minutes=minutes,
        proposals=[
            services.MinutedProposal(
                problem=problem, registration=registrations[index], text=text
            )
            for index, text in proposals
        ],
    )
    return registrations


def sign(w, user, quota, now=NOW):
    """``user`` volunteers for ``quota`` of the world's session at ``now``."""
    return services.sign_up(
        session=w.session, user=user, quota=quota, acknowledged=True, now=now
    )


def seat_freed(w, last_quota):
    """The world's four craftsmen a, b, c, d volunteer in turn: a for the one
    machine-vision seat, c for an electrical one, b for machine vision (to
    wait), d for ``last_quota``; then a cancels, so b is offered a's seat.
    Returns (a, b, c, d)."""
    a, b, c, d = w.crafts
    sign(w, a, w.vision)
    sign(w, c, w.electric)
    sign(w, b, w.vision)
    sign(w, d, last_quota)
    services.cancel(session=w.session, user=a, now=NOW)
    return a, b, c, d
