"""Who may see a session, sign up for it and run it.

A session is about its problems, so it is seen by whoever may read *every*
one of them in full (``Problem.objects.visible_to``) — a session of a
confidential problem does not exist for anyone else — and, before it is
opened, by union staff only. The meeting link is for confirmed attendees.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import Person, Role
from accounts.people import is_staff, studio_of
from problems.models import Decision, Invitation, MatchSuggestion, Problem

from .models import (
    RegistrationState,
    SeatInvitation,
    Session,
    SessionStatus,
    VolunteerOffer,
)


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
    personally = SeatInvitation.objects.filter(session=session, user=user).exists()
    if not (in_alliance or invited or personally):
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


@dataclass
class Candidate:
    """A craftsman staff may invite, and why their studio is in the running."""

    person: Person
    reasons: list = field(default_factory=list)  # (label, note)

    @property
    def user(self):
        return self.person.user

    @property
    def studio(self):
        return self.person.studio


def invitable(session):
    """Craftsmen staff may invite to ``session``, by user id: approved
    craftsmen of a studio matched to one of its problems (not dismissed),
    invited to one, or volunteering for one (揭榜), who may see every problem
    of the session and are not signed up for it yet."""
    problems = session.problems.all()
    reasons = {}

    def add(studio_id, label, note=""):
        reasons.setdefault(studio_id, []).append((label, note))

    for match in MatchSuggestion.objects.filter(problem__in=problems).exclude(
        decision=Decision.DISMISSED
    ):
        add(match.studio_id, _("matched"))
    for invitation in Invitation.objects.filter(problem__in=problems):
        add(invitation.studio_id, _("invited to the problem"))
    for offer in VolunteerOffer.objects.filter(problem__in=problems):
        add(offer.studio_id, _("volunteered (揭榜)"), offer.note)
    signed_up = session.registrations.exclude(state=RegistrationState.CANCELLED).values(
        "user"
    )
    people = (
        Person.objects.filter(
            role=Role.CRAFTSMAN,
            approved_at__isnull=False,
            studio__in=list(reasons),
        )
        .exclude(user__in=signed_up)
        .select_related("user", "studio")
        .prefetch_related("studio__tags")
        .order_by("studio__name", "user__username")
    )
    return {
        p.user_id: Candidate(person=p, reasons=reasons[p.studio_id])
        for p in people
        if can_view(p.user, session)
    }
