"""Who may see a session, sign up for it and run it.

A session is about its problems, so it is seen by whoever may read *every*
one of them in full (``Problem.objects.visible_to``) — a session of a
confidential problem does not exist for anyone else — and, before it is
opened, by union staff only. The meeting link is for confirmed attendees.
"""

from django.utils.translation import gettext as _

from accounts.people import is_staff, studio_of
from problems.models import Problem

from .models import RegistrationState, Session, SessionStatus


def visible_sessions(user):
    sessions = Session.objects.all()
    if is_staff(user):
        return sessions
    hidden = Problem.objects.exclude(
        pk__in=Problem.objects.visible_to(user).values("pk")
    )
    return sessions.exclude(status=SessionStatus.DRAFT).exclude(
        problems__in=hidden.values("pk")
    )


def can_view(user, session):
    return visible_sessions(user).filter(pk=session.pk).exists()


def can_organise(user):
    return is_staff(user)


def eligibility_problem(user, session):
    """Why ``user`` may not volunteer for ``session``, or None if they may."""
    studio = studio_of(user)
    if studio is None:
        return _("Only approved craftsmen of a studio can volunteer.")
    in_alliance = studio.alliances.filter(pk=session.alliance_id).exists()
    invited = session.invited_studios.filter(pk=studio.pk).exists()
    if not (in_alliance or invited):
        return _(
            "Your studio is neither in the organising alliance nor invited to "
            "this session."
        )
    if not can_view(user, session):
        return _("You may not see the problems of this session.")
    return None


def may_see_link(user, session):
    if not user or not user.is_authenticated:
        return False
    return (
        is_staff(user)
        or session.registrations.filter(
            user=user,
            state__in=(RegistrationState.CONFIRMED, RegistrationState.ATTENDED),
        ).exists()
    )


def certificate_registration(user, session):
    """The reader's own attendance at a held ``session`` (their certificate),
    or None."""
    if not user or not user.is_authenticated:
        return None
    if session.status not in SessionStatus.HELD_STATES:
        return None
    return session.registrations.filter(
        user=user, state=RegistrationState.ATTENDED
    ).first()


def may_download_certificate(user, registration):
    """A certificate is for the attendee and union staff, and only for a
    session that was held and that they attended."""
    if registration.state != RegistrationState.ATTENDED:
        return False
    if registration.session.status not in SessionStatus.HELD_STATES:
        return False
    return is_staff(user) or (user.is_authenticated and registration.user_id == user.pk)
