"""The joint sessions panel on a problem's page (registered under
``core.hooks.PROBLEM_PAGE_PANELS`` in wagtail_hooks.py; the board itself
imports nothing of this app)."""

from django.template.loader import render_to_string

from accounts.people import is_staff, studio_of
from problems.transitions import TRANSITIONS

from . import policies
from .models import SessionStatus, VolunteerOffer
from .pages import visible_reports


def with_reports(user, sessions):
    """``sessions`` as a list, each with ``report``: its report page if it is
    published and ``user`` may read it, else None."""
    sessions = list(sessions)
    reports = {
        page.session_id: page
        for page in visible_reports(user).filter(session__in=[s.pk for s in sessions])
    }
    for session in sessions:
        session.report = reports.get(session.pk)
    return sessions


def sessions_panel(request, problem):
    user = request.user
    sessions = (
        policies.visible_sessions(user)
        .filter(problems=problem)
        .exclude(status=SessionStatus.DRAFT)
        .select_related("alliance")
    )
    staff = is_staff(user)
    studio = studio_of(user)
    takes_volunteers = problem.status in TRANSITIONS["invite"].sources
    return render_to_string(
        "joint_sessions/_problem_panel.html",
        {
            "problem": problem,
            "sessions": with_reports(user, sessions),
            "is_staff": staff,
            "volunteers": problem.volunteer_offers.select_related("studio")
            if staff
            else [],
            "can_volunteer": studio is not None
            and takes_volunteers
            and not VolunteerOffer.objects.filter(
                problem=problem, studio=studio
            ).exists(),
        },
        request=request,
    )
