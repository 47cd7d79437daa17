"""What the pages of lower apps show of joint sessions, each registered under
a ``core.hooks`` name in wagtail_hooks.py: the figures of the home page, the
timeline of an alliance's page, the reports on a studio's page, a
craftsman's recognition on their account page and their public record on
their public profile's page.

The figures count what happened, never what was planned: *sessions held* are
sessions that took place (``SessionStatus.HELD_STATES``: held, report
published, closed), *participants* are the seats checked in (registrations
``attended``), not the sign-ups. They are totals with no content, so they
count every session; the lists beside them show only the sessions the reader
may see (``policies.visible_sessions``).
"""

from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from accounts.models import Person, Role
from accounts.people import studio_of
from problems.models import Problem, Proposal

from . import policies
from .models import Registration, RegistrationState, Session, SessionStatus
from .pages import visible_reports
from .panels import with_reports


def figures(sessions=None):
    """``sessions_held`` and ``participants`` of ``sessions`` (all by default)."""
    sessions = Session.objects.all() if sessions is None else sessions
    held = sessions.filter(status__in=SessionStatus.HELD_STATES)
    return {
        "sessions_held": held.count(),
        "participants": Registration.objects.filter(
            session__in=held, state=RegistrationState.ATTENDED
        ).count(),
    }


def home_page_figures(request):
    return figures()


def alliance_timeline(request, alliance):
    """The alliance's held sessions the reader may see, newest first, each
    with its report page when published; and the alliance's figures."""
    mine = Session.objects.filter(alliance=alliance)
    held = (
        policies.visible_sessions(request.user)
        .filter(alliance=alliance, status__in=SessionStatus.HELD_STATES)
        .annotate(
            attended=Count(
                "registrations",
                filter=Q(registrations__state=RegistrationState.ATTENDED),
            )
        )
        .order_by("-starts_at")[:50]
    )
    return {"sessions": with_reports(request.user, held), **figures(mine)}


def studio_reports(request, studio):
    """The reports of sessions this studio's craftsmen attended."""
    reports = (
        visible_reports(request.user)
        .filter(
            session__registrations__studio=studio,
            session__registrations__state=RegistrationState.ATTENDED,
        )
        .distinct()
        .order_by("-held_on")[:20]
    )
    if not reports:
        return ""
    return render_to_string(
        "joint_sessions/_studio_panel.html", {"reports": reports}, request=request
    )


def recognition(request):
    """The account page's panel of a craftsman's own record: the sessions
    they attended (each with its certificate) and their proposals the
    enterprises adopted."""
    user = request.user
    if studio_of(user) is None:
        return ""
    attended = (
        Registration.objects.filter(
            user=user,
            state=RegistrationState.ATTENDED,
            session__status__in=SessionStatus.HELD_STATES,
        )
        .select_related("session", "session__alliance", "studio")
        .order_by("-session__starts_at")
    )
    adopted = (
        Proposal.objects.filter(
            author=user,
            state=Proposal.State.ACCEPTED,
            problem__in=Problem.objects.visible_to(user),
        )
        .select_related("problem")
        .order_by("-pk")
    )
    return render_to_string(
        "joint_sessions/_account_recognition.html",
        {
            "attended": attended,
            "adopted": adopted,
            "attended_count": attended.count(),
            "adopted_count": adopted.count(),
        },
        request=request,
    )


def craftsman_record(request, craftsman):
    """The public profile's panel: the record of the craftsman who claimed
    it (``accounts.Person.profile``; still an approved craftsman of a studio
    the profile is a member of).

    The two counts are the craftsman's totals — their credit, and numbers
    with no content, like the home page's figures. The lists name only what
    the reader may see: sessions by ``policies.visible_sessions`` (each with
    its report page when published and readable), adopted proposals by the
    problems ``Problem.objects.visible_to`` the reader; the proposal's text is
    never shown, only its problem's title. When a list is shorter than its
    count the panel says how many it lists. So every anonymous reader gets
    the same panel (the page may be cached for them), and a confidential
    problem is never named to someone who may not read it."""
    person = (
        Person.objects.filter(
            profile=craftsman,
            role=Role.CRAFTSMAN,
            approved_at__isnull=False,
            studio__members__craftsman=F("profile"),
        )
        .select_related("user")
        .first()
    )
    if person is None:
        return ""
    reader = request.user
    attended = Registration.objects.filter(
        user=person.user,
        state=RegistrationState.ATTENDED,
        session__status__in=SessionStatus.HELD_STATES,
    )
    adopted = Proposal.objects.filter(author=person.user, state=Proposal.State.ACCEPTED)
    attended_count, adopted_count = attended.count(), adopted.count()
    if not attended_count and not adopted_count:
        return ""
    sessions = with_reports(
        reader,
        policies.visible_sessions(reader)
        .filter(pk__in=attended.values("session"))
        .order_by("-starts_at"),
    )
    adopted_shown = list(
        adopted.filter(problem__in=Problem.objects.visible_to(reader))
        .select_related("problem")
        .order_by("-pk")
    )
    return render_to_string(
        "joint_sessions/_craftsman_record.html",
        {
            "sessions": sessions,
            "adopted": adopted_shown,
            "attended_count": attended_count,
            "adopted_count": adopted_count,
            "sessions_hidden": attended_count - len(sessions),
            "adopted_hidden": adopted_count - len(adopted_shown),
        },
        request=request,
    )
