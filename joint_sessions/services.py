"""Everything that changes a joint session. Each service is keyword-only,
runs in one transaction, locks the session row (``select_for_update``) and
only then reads the state it decides on, so concurrent sign-ups, cancellations
and check-ins are serialised per session and seats are never oversold.

A refusal raises ``SessionError`` (a ValidationError) with a message for the
user; nothing has been changed then.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Site

from accounts.models import Person, Role
from accounts.people import is_staff, studio_of
from problems import services as board
from problems.models import Invitation, Problem
from problems.transitions import TRANSITIONS

from . import policies
from .models import (
    HOLDS_SEAT,
    CalendarFeed,
    Mode,
    Registration,
    RegistrationState,
    SeatInvitation,
    Session,
    SessionReportIndexPage,
    SessionReportPage,
    SessionStatus,
    SkillQuota,
    VolunteerOffer,
    new_feed_token,
)
from .naming import person_name
from .notify import tell

OFFER_HOURS = 24  # how long a freed seat is held for the next person
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=3)
REPORT_DUE_AFTER = datetime.timedelta(days=1)
REMINDERS = (
    ("reminder_24h", "reminded_24h_at", datetime.timedelta(hours=24)),
    ("reminder_2h", "reminded_2h_at", datetime.timedelta(hours=2)),
)
ACTIVE = (
    RegistrationState.CONFIRMED,
    RegistrationState.WAITLISTED,
    RegistrationState.OFFERED,
)
SIGNING_UP = (SessionStatus.OPEN, SessionStatus.FULL)
MOVABLE = (SessionStatus.DRAFT, *SIGNING_UP)  # not yet held nor cancelled


class SessionError(ValidationError):
    """Refused: the message says why; nothing was changed."""


def _now(now):
    return now or timezone.now()


def _locked(session):
    """The session row, locked for this transaction (unless the test-only
    setting JOINT_SESSIONS_LOCK switched the lock off for the race test)."""
    rows = Session.objects.all()
    if settings.JOINT_SESSIONS_LOCK:
        rows = rows.select_for_update()
    try:
        return rows.get(pk=session.pk)
    except Session.DoesNotExist as exc:
        raise SessionError(_("This session does not exist.")) from exc


def _staff(user):
    if not is_staff(user):
        raise PermissionDenied(_("Only union staff organise joint sessions."))


def _when(session):
    start = timezone.localtime(session.starts_at)
    return date_format(start, "Y-m-d H:i")


def _params(session, **extra):
    return {
        "session": session.title,
        "when": _when(session),
        "where": session.address or session.get_mode_display(),
        **extra,
    }


def _tell(session, recipients, key, **params):
    """Tell ``recipients`` (users) the message ``key`` about ``session``,
    with a link to its page — those of them who may see it (notify.tell).
    Returns how many were told."""
    return tell(
        session=session,
        recipients=recipients,
        key=key,
        params=_params(session, **params),
        url=session.get_absolute_url(),
    )


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a session is: everything but its people."""

    title: str
    alliance: object
    problems: Sequence
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    signup_deadline: datetime.datetime
    cancellation_cutoff: datetime.datetime
    total_seats: int
    quotas: Sequence  # (skill, seats)
    mode: str = Mode.ONSITE
    address: str = ""
    meeting_link: str = ""
    host_enterprise: object = None
    agenda: str = ""
    safety_notes: str = ""
    confidentiality_notes: str = ""

    @classmethod
    def starting(cls, starts_at: datetime.datetime, *, hours: int = 3, **fields):
        """The usual plan from ``starts_at``: ``hours`` long, sign-up closing
        a day before and cancellations two days before; ``fields`` give the
        rest (and may set any of these times themselves)."""
        times = {
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=hours),
            "signup_deadline": starts_at - datetime.timedelta(days=1),
            "cancellation_cutoff": starts_at - datetime.timedelta(days=2),
        }
        return cls(**(times | fields))


def _check_times(*, starts_at, ends_at, signup_deadline, cancellation_cutoff):
    if ends_at <= starts_at:
        raise SessionError(_("A session must end after it starts."))
    if signup_deadline > starts_at:
        raise SessionError(_("The sign-up deadline must be before the start."))
    if cancellation_cutoff > starts_at:
        raise SessionError(_("The cancellation cut-off must be before the start."))


def _check_place(*, mode, address, meeting_link):
    if mode not in Mode.values:
        raise SessionError(_("Choose on site, online or hybrid."))
    if mode != Mode.ONSITE and not meeting_link:
        raise SessionError(_("An online or hybrid session needs a meeting link."))
    if mode != Mode.ONLINE and not address.strip():
        raise SessionError(_("A session on site needs an address."))


def _check_plan(plan: Plan):
    if not plan.title.strip():
        raise SessionError(_("A session needs a title."))
    if not plan.problems:
        raise SessionError(_("A session is for at least one problem."))
    open_problems = Problem.objects.published().filter(
        pk__in=[p.pk for p in plan.problems], merged_into__isnull=True
    )
    if open_problems.count() != len({p.pk for p in plan.problems}):
        raise SessionError(_("A session can only be held for published problems."))
    _check_times(
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        signup_deadline=plan.signup_deadline,
        cancellation_cutoff=plan.cancellation_cutoff,
    )
    if plan.total_seats < 1:
        raise SessionError(_("A session needs at least one seat."))
    skills = [skill.strip() for skill, __ in plan.quotas]
    if not skills or any(not s for s in skills) or len(set(skills)) != len(skills):
        raise SessionError(_("Give each skill once, with its number of seats."))
    if any(int(seats) < 1 for __, seats in plan.quotas):
        raise SessionError(_("Each skill needs at least one seat."))
    _check_place(mode=plan.mode, address=plan.address, meeting_link=plan.meeting_link)


@transaction.atomic
def create_session(*, user, plan: Plan) -> Session:
    """Union staff plan a session (a draft until opened)."""
    _staff(user)
    _check_plan(plan)
    session = Session.objects.create(
        title=plan.title.strip(),
        alliance=plan.alliance,
        host_enterprise=plan.host_enterprise,
        address=plan.address.strip(),
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        mode=plan.mode,
        meeting_link=plan.meeting_link,
        agenda=plan.agenda,
        total_seats=plan.total_seats,
        signup_deadline=plan.signup_deadline,
        cancellation_cutoff=plan.cancellation_cutoff,
        safety_notes=plan.safety_notes,
        confidentiality_notes=plan.confidentiality_notes,
        created_by=user,
    )
    session.problems.set(plan.problems)
    SkillQuota.objects.bulk_create(
        [
            SkillQuota(session=session, skill=skill.strip(), seats=int(seats))
            for skill, seats in plan.quotas
        ]
    )
    return session


def _move(session: Session, user, source, target, refusal) -> Session:
    """Staff move a session from status ``source`` to ``target``, refused with
    ``refusal`` when it is in another status (judged after the lock)."""
    _staff(user)
    session = _locked(session)
    if session.status != source:
        raise SessionError(refusal)
    session.status = target
    session.save(update_fields=["status", "updated_at"])
    return session


@transaction.atomic
def open_session(*, session: Session, user) -> Session:
    refusal = _("Only a draft session can be opened.")
    return _move(session, user, SessionStatus.DRAFT, SessionStatus.OPEN, refusal)


@transaction.atomic
def invite_studios(*, session: Session, user, studios: Iterable) -> Session:
    """Staff invite studios (matched or volunteering): their craftsmen may
    then volunteer although the studio is not in the alliance."""
    _staff(user)
    session = _locked(session)
    if session.status not in (SessionStatus.DRAFT, *SIGNING_UP):
        raise SessionError(_("This session no longer takes sign-ups."))
    studios = [s for s in studios if not session.invited_studios.filter(pk=s.pk)]
    if not studios:
        raise SessionError(_("These studios are already invited."))
    session.invited_studios.add(*studios)
    if session.status != SessionStatus.DRAFT:
        craftsmen = Person.objects.filter(
            role=Role.CRAFTSMAN, studio__in=studios, approved_at__isnull=False
        ).select_related("user")
        _tell(session, [p.user for p in craftsmen], "invited")
    return session


@dataclass(frozen=True)
class Move:
    """A change of time or place. Deadlines left as None stay as they are
    (and must still fall before the new start)."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mode: str
    address: str = ""
    meeting_link: str = ""
    signup_deadline: datetime.datetime | None = None
    cancellation_cutoff: datetime.datetime | None = None


MOVED_FIELDS = (
    "starts_at",
    "ends_at",
    "mode",
    "address",
    "meeting_link",
    "signup_deadline",
    "cancellation_cutoff",
)


@transaction.atomic
def reschedule(
    *, session: Session, user, move: Move, now: datetime.datetime | None = None
) -> Session:
    """A change of time or place: everyone signed up (confirmed, offered or
    waiting) is told what it was and what it is now, and the reminders are
    sent again for the new time."""
    _staff(user)
    now = _now(now)
    session = _locked(session)
    if session.status not in MOVABLE:
        raise SessionError(
            _("A session that is “%(status)s” cannot be moved.")
            % {"status": session.get_status_display()}
        )
    new = {
        "starts_at": move.starts_at,
        "ends_at": move.ends_at,
        "mode": move.mode,
        "address": move.address.strip(),
        "meeting_link": move.meeting_link.strip(),
        "signup_deadline": move.signup_deadline or session.signup_deadline,
        "cancellation_cutoff": move.cancellation_cutoff or session.cancellation_cutoff,
    }
    if new["starts_at"] <= now:
        raise SessionError(_("A session cannot be moved into the past."))
    _check_times(
        starts_at=new["starts_at"],
        ends_at=new["ends_at"],
        signup_deadline=new["signup_deadline"],
        cancellation_cutoff=new["cancellation_cutoff"],
    )
    _check_place(
        mode=new["mode"], address=new["address"], meeting_link=new["meeting_link"]
    )
    if all(getattr(session, name) == new[name] for name in MOVED_FIELDS):
        raise SessionError(_("Nothing has changed."))
    was = _params(session)
    for name in MOVED_FIELDS:
        setattr(session, name, new[name])
    session.sequence += 1  # calendars replace their copy
    session.save(update_fields=[*MOVED_FIELDS, "sequence", "updated_at"])
    active = session.registrations.filter(state__in=ACTIVE)
    active.update(reminded_24h_at=None, reminded_2h_at=None)
    _tell(
        session,
        [r.user for r in active.select_related("user")],
        "rescheduled",
        was_when=was["when"],
        was_where=was["where"],
    )
    return session


def _name(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def invite_craftsmen(
    *, session: Session, user, invitees: Sequence, quota: SkillQuota
) -> list:
    """Staff invite craftsmen of matched, invited or volunteering studios to
    a skill seat: each is told, with a link to sign up (through ``sign_up``,
    with its quotas and waiting list). All or nothing: one person who cannot
    be invited refuses the whole invitation, naming them."""
    _staff(user)
    session = _locked(session)
    if session.status not in SIGNING_UP:
        raise SessionError(_("Only a session open for sign-up takes invitations."))
    if quota.session_id != session.pk:
        raise SessionError(_("Choose one of this session's skills."))
    invitees = list({u.pk: u for u in invitees}.values())
    if not invitees:
        raise SessionError(_("Choose at least one craftsman to invite."))
    eligible = policies.invitable(session)
    already = set(
        session.seat_invitations.filter(user__in=[u.pk for u in invitees]).values_list(
            "user_id", flat=True
        )
    )
    for invitee in invitees:
        if invitee.pk in already:
            raise SessionError(
                _("%(name)s is already invited to this session.")
                % {"name": _name(invitee)}
            )
        if invitee.pk not in eligible:
            raise SessionError(
                _(
                    "%(name)s cannot be invited: only approved craftsmen of a "
                    "matched, invited or volunteering studio who may see the "
                    "problems and have not signed up yet."
                )
                % {"name": _name(invitee)}
            )
    invitations = SeatInvitation.objects.bulk_create(
        [
            SeatInvitation(session=session, user=u, quota=quota, invited_by=user)
            for u in invitees
        ]
    )
    tell(
        session=session,
        recipients=invitees,
        key="invited_person",
        params=_params(session, skill=quota.skill),
        url=f"{session.get_absolute_url()}?skill={quota.pk}#sign-up",
    )
    return invitations


# ---------------------------------------------------------------------------
# Seats
# ---------------------------------------------------------------------------


def _taken(session):
    """Seats held in total and per quota."""
    held = session.registrations.filter(state__in=HOLDS_SEAT)
    per_quota = dict(
        held.values("quota").annotate(n=Count("pk")).values_list("quota", "n")
    )
    return held.count(), per_quota


def _has_room(session, quota, total, per_quota):
    return total < session.total_seats and per_quota.get(quota.pk, 0) < quota.seats


def _set_fullness(session):
    if session.status not in SIGNING_UP:
        return
    total, __ = _taken(session)
    status = SessionStatus.FULL if total >= session.total_seats else SessionStatus.OPEN
    if status != session.status:
        session.status = status
        session.save(update_fields=["status", "updated_at"])


def _offer_free_seats(session, now):
    """Offer each free seat to the first person waiting (in arrival order)
    whose skill has room, until no seat or nobody fitting is left."""
    total, per_quota = _taken(session)
    offered = []
    waiting = session.registrations.filter(
        state=RegistrationState.WAITLISTED
    ).select_related("quota", "user")
    for registration in waiting:
        if total >= session.total_seats:
            break
        if not _has_room(session, registration.quota, total, per_quota):
            continue
        if not policies.can_view(registration.user, session):
            continue  # lost sight of its problems since: waits, unoffered
        registration.state = RegistrationState.OFFERED
        registration.offer_expires_at = min(
            now + datetime.timedelta(hours=OFFER_HOURS), session.starts_at
        )
        registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
        total += 1
        per_quota[registration.quota_id] = per_quota.get(registration.quota_id, 0) + 1
        offered.append(registration)
        _tell(
            session,
            [registration.user],
            "offered",
            skill=registration.quota.skill,
            until=date_format(
                timezone.localtime(registration.offer_expires_at), "Y-m-d H:i"
            ),
        )
    _set_fullness(session)
    return offered


def seats_per_skill(session):
    """The session's quotas, each with ``taken`` (seats held) and
    ``waiting`` (people on its waiting list)."""
    return session.quotas.annotate(
        taken=Count("registrations", filter=Q(registrations__state__in=HOLDS_SEAT)),
        waiting=Count(
            "registrations",
            filter=Q(registrations__state=RegistrationState.WAITLISTED),
        ),
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting for the same skill, and so on."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            quota=registration.quota_id,
            state=RegistrationState.WAITLISTED,
            arrival__lte=registration.arrival,
        ).count()
        or None
    )


@transaction.atomic
def sign_up(
    *,
    session: Session,
    user,
    quota: SkillQuota,
    acknowledged: bool,
    now: datetime.datetime | None = None,
) -> Registration:
    """An eligible craftsman volunteers for a skill seat: confirmed if the
    skill and the session both have room, else on the waiting list."""
    now = _now(now)
    session = _locked(session)
    if not policies.can_view(user, session):
        raise SessionError(_("You may not see the problems of this session."))
    if session.status not in SIGNING_UP:
        raise SessionError(
            _("This session does not take sign-ups (it is “%(status)s”).")
            % {"status": session.get_status_display()}
        )
    if now > session.signup_deadline:
        raise SessionError(_("The sign-up deadline has passed."))
    if quota.session_id != session.pk:
        raise SessionError(_("Choose one of this session's skills."))
    if (session.safety_notes or session.confidentiality_notes) and not acknowledged:
        raise SessionError(
            _("Please confirm you have read the safety and confidentiality notes.")
        )
    reason = policies.eligibility_problem(user, session)
    if reason:
        raise SessionError(reason)
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None and existing.state != RegistrationState.CANCELLED:
        raise SessionError(_("You have already signed up for this session."))
    total, per_quota = _taken(session)
    room = _has_room(session, quota, total, per_quota)
    Session.objects.filter(pk=session.pk).update(arrivals=F("arrivals") + 1)
    arrival = Session.objects.values_list("arrivals", flat=True).get(pk=session.pk)
    fields = {
        "studio": studio_of(user),
        "quota": quota,
        "state": RegistrationState.CONFIRMED if room else RegistrationState.WAITLISTED,
        "arrival": arrival,
        "acknowledged_notes": bool(acknowledged),
        "offer_expires_at": None,
        "checked_in_at": None,
        "reminded_24h_at": None,
        "reminded_2h_at": None,
    }
    try:
        with transaction.atomic():
            if existing is None:
                registration = Registration.objects.create(
                    session=session, user=user, **fields
                )
            else:  # signing up again after cancelling: at the back of the line
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.save()
                registration = existing
    except IntegrityError as exc:  # the same person twice at once, unlocked
        raise SessionError(_("You have already signed up for this session.")) from exc
    _set_fullness(session)
    if room:
        _tell(session, [user], "signed_up", skill=quota.skill)
    else:
        _tell(
            session,
            [user],
            "waitlisted",
            skill=quota.skill,
            position=waitlist_position(registration),
        )
    return registration


def _locked_with_own_registration(session, user):
    """The session, locked, and the caller's active registration for it."""
    session = _locked(session)
    registration = (
        Registration.objects.filter(session=session, user=user)
        .select_related("quota", "user")
        .first()
    )
    if registration is None or registration.state not in ACTIVE:
        raise SessionError(_("You are not signed up for this session."))
    return session, registration


def _settle(session, registration, state, *, told):
    """A volunteer's own registration takes ``state`` (any seat offer ends
    with it) and they are told so (message ``told``)."""
    registration.state = state
    registration.offer_expires_at = None
    registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
    _tell(session, [registration.user], told)


@transaction.atomic
def cancel(
    *, session: Session, user, now: datetime.datetime | None = None
) -> Registration:
    """A volunteer withdraws; a freed seat is offered to the next in line."""
    now = _now(now)
    session, registration = _locked_with_own_registration(session, user)
    if session.status not in SIGNING_UP:
        raise SessionError(_("This session can no longer be changed."))
    if registration.state == RegistrationState.CONFIRMED and (
        now > session.cancellation_cutoff
    ):
        raise SessionError(
            _(
                "The cancellation cut-off has passed: please tell the organiser "
                "directly that you cannot come."
            )
        )
    _settle(session, registration, RegistrationState.CANCELLED, told="cancelled")
    _offer_free_seats(session, now)
    return registration


@transaction.atomic
def accept_offer(
    *, session: Session, user, now: datetime.datetime | None = None
) -> Registration:
    now = _now(now)
    session, registration = _locked_with_own_registration(session, user)
    if registration.state != RegistrationState.OFFERED:
        raise SessionError(_("You have no seat offered at this session."))
    if not policies.can_view(user, session):
        raise SessionError(_("You may not see the problems of this session."))
    if registration.offer_expires_at and now > registration.offer_expires_at:
        raise SessionError(_("This offer has expired."))
    _settle(session, registration, RegistrationState.CONFIRMED, told="confirmed")
    return registration


@transaction.atomic
def expire_offers(*, session: Session, now: datetime.datetime | None = None) -> int:
    """Offers not confirmed in time lapse; each seat goes to the next person."""
    now = _now(now)
    session = _locked(session)
    expired = list(
        session.registrations.filter(
            state=RegistrationState.OFFERED, offer_expires_at__lt=now
        ).select_related("user")
    )
    for registration in expired:
        registration.state = RegistrationState.CANCELLED
        registration.save(update_fields=["state", "updated_at"])
        _tell(session, [registration.user], "offer_expired")
    if expired and session.status in SIGNING_UP:
        _offer_free_seats(session, now)
    return len(expired)


# ---------------------------------------------------------------------------
# On the day
# ---------------------------------------------------------------------------


@dataclass
class CheckIn:
    registration: Registration
    already: bool  # a retried scan: counted once


@transaction.atomic
def check_in(
    *, session: Session, user, code: str, now: datetime.datetime | None = None
) -> CheckIn:
    """The organiser checks an attendee in by code. Idempotent; works late
    (after the session is marked held, turning a no-show into attended)."""
    _staff(user)
    now = _now(now)
    session = _locked(session)
    if session.status not in (*SIGNING_UP, SessionStatus.HELD):
        raise SessionError(_("Check-in is not possible for this session now."))
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise SessionError(_("Check-in opens three hours before the start."))
    code = (code or "").strip().upper()
    registration = (
        session.registrations.filter(checkin_code=code).select_related("user").first()
    )
    if registration is None:
        if code and Registration.objects.filter(checkin_code=code).exists():
            raise SessionError(_("This code belongs to another session."))
        raise SessionError(_("No attendee has this code."))
    if registration.state == RegistrationState.ATTENDED:
        return CheckIn(registration, already=True)
    if registration.state not in (
        RegistrationState.CONFIRMED,
        RegistrationState.NO_SHOW,
    ):
        raise SessionError(
            _("%(name)s has no confirmed seat (%(state)s).")
            % {
                "name": registration.user.get_full_name()
                or registration.user.get_username(),
                "state": registration.get_state_display(),
            }
        )
    registration.state = RegistrationState.ATTENDED
    registration.checked_in_at = now
    registration.save(update_fields=["state", "checked_in_at", "updated_at"])
    return CheckIn(registration, already=False)


@transaction.atomic
def mark_held(
    *, session: Session, user, now: datetime.datetime | None = None
) -> Session:
    """The session took place: confirmed people not checked in are recorded
    as no-shows (a late check-in still corrects that), open offers lapse, and
    each problem's audit trail records the session."""
    _staff(user)
    now = _now(now)
    session = _locked(session)
    if session.status not in SIGNING_UP:
        raise SessionError(_("Only an open or full session can be marked held."))
    if now < session.starts_at:
        raise SessionError(_("A session cannot be marked held before it starts."))
    session.registrations.filter(state=RegistrationState.CONFIRMED).update(
        state=RegistrationState.NO_SHOW, updated_at=now
    )
    session.registrations.filter(
        state__in=(RegistrationState.OFFERED, RegistrationState.WAITLISTED)
    ).update(state=RegistrationState.CANCELLED, updated_at=now)
    session.status = SessionStatus.HELD
    session.save(update_fields=["status", "updated_at"])
    held_on = timezone.localtime(session.starts_at).date()
    came = {
        r.studio
        for r in session.registrations.filter(
            state=RegistrationState.ATTENDED, studio__isnull=False
        ).select_related("studio")
    }
    for problem in session.problems.filter(status__in=TRANSITIONS["invite"].sources):
        # the studios that came work on the problem now: invited to it
        invited = set(problem.invitations.values_list("studio_id", flat=True))
        if new_studios := [s for s in came if s.pk not in invited]:
            board.invite_studios(problem=problem, studios=new_studios, user=user)
    for problem in session.problems.filter(
        status__in=TRANSITIONS["hold_session"].sources
    ):
        board.record_session(
            problem=problem,
            user=user,
            held_on=held_on,
            place=session.address,
            note=session.title,
        )
    return session


@dataclass(frozen=True)
class MinutedProposal:
    problem: Problem
    registration: Registration  # the attendee credited with it
    text: str


@transaction.atomic
def record_minutes(
    *,
    session: Session,
    user,
    minutes: str,
    proposals: Sequence[MinutedProposal] = (),
) -> list:
    """The organiser records the minutes; each proposal made in the session
    becomes a proposal on its problem (the board's own service), credited to
    its craftsman and studio — whose studio is invited to the problem first
    if it was not."""
    _staff(user)
    session = _locked(session)
    if session.status != SessionStatus.HELD:
        raise SessionError(_("Minutes are recorded once the session is held."))
    if not minutes.strip():
        raise SessionError(_("The minutes are empty."))
    problem_ids = set(session.problems.values_list("pk", flat=True))
    recorded = []
    for item in proposals:
        registration = (  # read again under the lock
            session.registrations.filter(pk=item.registration.pk)
            .select_related("user")
            .first()
        )
        if registration is None or registration.state != RegistrationState.ATTENDED:
            raise SessionError(_("A proposal is credited to someone who attended."))
        if item.problem.pk not in problem_ids:
            raise SessionError(
                _("A proposal must be for one of the session's problems.")
            )
        if not item.text.strip():
            raise SessionError(_("A proposal needs a text."))
        studio = studio_of(registration.user)
        if studio is None:
            raise SessionError(_("The proposer is no longer an approved craftsman."))
        if not Invitation.objects.filter(problem=item.problem, studio=studio).exists():
            board.invite_studios(problem=item.problem, studios=[studio], user=user)
        recorded.append(
            board.submit_proposal(
                problem=item.problem, user=registration.user, text=item.text
            )
        )
    session.minutes = minutes.strip()
    session.save(update_fields=["minutes", "updated_at"])
    session.proposals.add(*recorded)
    return recorded


def report_index() -> SessionReportIndexPage:
    """The reports' parent page (made by a migration; made again under the
    default site's home page if someone deleted it)."""
    index = SessionReportIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = SessionReportIndexPage(
            title=_("Joint session reports"), slug="session-reports"
        )
        home.add_child(instance=index)
    return index


def _report_body(session) -> str:
    """The report's first text, from the minutes, the proposals and the
    attendance: rich text that staff then edit in the Wagtail admin. A
    proposal is named by its problem and its author, never quoted (its text
    is for the enterprise and the invited studios only)."""
    attendees = session.registrations.filter(
        state=RegistrationState.ATTENDED
    ).select_related("user", "studio")
    paragraphs = format_html_join(
        "",
        "<p>{}</p>",
        ((line,) for line in session.minutes.splitlines() if line.strip()),
    )
    proposals = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                _("%(author)s (%(studio)s) made a proposal for “%(problem)s”.")
                % {
                    "author": person_name(p.author) or _("a former member"),
                    "studio": p.studio.name,
                    "problem": p.problem.title,
                },
            )
            for p in session.proposals.select_related("author", "studio", "problem")
        ),
    )
    people = "、".join(
        f"{person_name(r.user)}（{r.studio.name}）" if r.studio else person_name(r.user)
        for r in attendees
    )
    parts = [
        format_html("<h2>{}</h2>{}", _("Minutes"), paragraphs),
        format_html("<h2>{}</h2><ul>{}</ul>", _("Proposals made"), proposals)
        if proposals
        else "",
        format_html(
            "<h2>{}</h2><p>{}</p>",
            _("Attended (%(count)s)") % {"count": attendees.count()},
            people,
        ),
    ]
    return "".join(parts)


@transaction.atomic
def publish_report(
    *, session: Session, user, now: datetime.datetime | None = None
) -> SessionReportPage:
    """The organiser publishes the report of a held session: a Wagtail page
    pre-filled from the minutes, proposals and attendance (edited afterwards
    in the admin, where photos are added), and the session moves to
    ``report_published``. Attendees are told."""
    _staff(user)
    now = _now(now)
    session = _locked(session)
    if session.status != SessionStatus.HELD:
        raise SessionError(_("Only a held session's report can be published."))
    if not session.minutes.strip():
        raise SessionError(_("Record the minutes before publishing the report."))
    if SessionReportPage.objects.filter(session=session).exists():
        raise SessionError(_("This session's report is already published."))
    held_on = timezone.localtime(session.starts_at).date()
    page = SessionReportPage(
        title=session.title,
        slug=f"session-{session.pk}",
        session=session,
        held_on=held_on,
        summary=Truncator(" ".join(session.minutes.split())).chars(200),
        body=_report_body(session),
        owner=user,
    )
    report_index().add_child(instance=page)
    # union staff may publish a report (checked above) whatever their Wagtail
    # page permissions: the page is the session's, not free content
    page.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )
    session.status = SessionStatus.REPORT_PUBLISHED
    session.report_published_at = now
    session.save(update_fields=["status", "report_published_at", "updated_at"])
    attendees = session.registrations.filter(
        state=RegistrationState.ATTENDED
    ).select_related("user")
    tell(
        session=session,
        recipients=[r.user for r in attendees],
        key="report_published",
        params=_params(session),
        url=page.url or session.get_absolute_url(),
    )
    return page


@transaction.atomic
def close_session(*, session: Session, user) -> Session:
    refusal = _("A session is closed after its report is published.")
    return _move(
        session, user, SessionStatus.REPORT_PUBLISHED, SessionStatus.CLOSED, refusal
    )


@transaction.atomic
def cancel_session(*, session: Session, user, reason: str) -> Session:
    """Call a session off, saying why; everyone signed up is told."""
    _staff(user)
    if not reason.strip():
        raise SessionError(_("Say why the session is cancelled."))
    session = _locked(session)
    if session.status not in (SessionStatus.DRAFT, *SIGNING_UP):
        raise SessionError(
            _("A session that is “%(status)s” cannot be cancelled.")
            % {"status": session.get_status_display()}
        )
    active = list(session.registrations.filter(state__in=ACTIVE).select_related("user"))
    session.registrations.filter(state__in=ACTIVE).update(
        state=RegistrationState.CANCELLED, offer_expires_at=None
    )
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.sequence += 1  # calendars drop it
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    _tell(
        session,
        [r.user for r in active],
        "session_cancelled",
        reason=session.cancel_reason,
    )
    return session


# ---------------------------------------------------------------------------
# Volunteer pool (揭榜)
# ---------------------------------------------------------------------------


@transaction.atomic
def volunteer(*, problem: Problem, user, note: str = "") -> VolunteerOffer:
    """A craftsman says "my studio can help" with a problem they may read."""
    studio = studio_of(user)
    if studio is None:
        raise SessionError(_("Only approved craftsmen of a studio can volunteer."))
    locked = (
        Problem.objects.visible_to(user)
        .select_for_update()
        .filter(pk=problem.pk, status__in=TRANSITIONS["invite"].sources)
        .first()
    )
    if locked is None:
        raise SessionError(_("This problem does not take volunteers."))
    if len(note) > VolunteerOffer._meta.get_field("note").max_length:
        raise SessionError(_("The note is too long."))
    offer, created = VolunteerOffer.objects.get_or_create(
        problem=locked, studio=studio, defaults={"craftsman": user, "note": note}
    )
    if not created:
        raise SessionError(_("Your studio has already volunteered for this problem."))
    return offer


# ---------------------------------------------------------------------------
# Beat: reminders, offers, reports
# ---------------------------------------------------------------------------


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind confirmed attendees 24 h and 2 h before. Each reminder is
    claimed by a conditional UPDATE before it is sent, so a beat that runs
    twice (or two workers at once) sends it exactly once."""
    now = _now(now)
    sent = 0
    for index, (key, stamp, before) in enumerate(REMINDERS):
        later = REMINDERS[index + 1][2] if index + 1 < len(REMINDERS) else None
        window = Q(session__starts_at__gt=now, session__starts_at__lte=now + before)
        if later is not None:  # past the next window, only the next is sent
            window &= Q(session__starts_at__gt=now + later)
        due = Registration.objects.filter(
            window,
            state=RegistrationState.CONFIRMED,
            session__status__in=SIGNING_UP,
            **{f"{stamp}__isnull": True},
        ).select_related("session", "user")
        for registration in due:
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=registration.pk, **{f"{stamp}__isnull": True}
                ).update(**{stamp: now})
                if claimed:
                    session = registration.session
                    sent += _tell(session, [registration.user], key)
    return sent


def remind_reports(*, now: datetime.datetime | None = None) -> int:
    now = _now(now)
    sent = 0
    due = Session.objects.filter(
        status=SessionStatus.HELD,
        ends_at__lte=now - REPORT_DUE_AFTER,
        report_reminded_at__isnull=True,
    ).select_related("created_by")
    for session in due:
        with transaction.atomic():
            if Session.objects.filter(
                pk=session.pk, report_reminded_at__isnull=True
            ).update(report_reminded_at=now):
                sent += _tell(session, [session.created_by], "report_due")
    return sent


def run_due(*, now: datetime.datetime | None = None) -> dict:
    now = _now(now)
    expired = 0
    for session in Session.objects.filter(
        registrations__state=RegistrationState.OFFERED,
        registrations__offer_expires_at__lt=now,
    ).distinct():
        expired += expire_offers(session=session, now=now)
    return {
        "expired_offers": expired,
        "reminders": send_reminders(now=now),
        "report_reminders": remind_reports(now=now),
    }


# ---------------------------------------------------------------------------
# Private calendar feed
# ---------------------------------------------------------------------------


def _signed_in(user):
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to have a calendar feed."))


@transaction.atomic
def feed_token(*, user) -> str:
    """The token of the person's private calendar feed (made on first use)."""
    _signed_in(user)
    feed, __ = CalendarFeed.objects.get_or_create(user=user)
    return feed.token


@transaction.atomic
def reset_feed_token(*, user) -> str:
    """A new token: the old feed address answers 404 from now on."""
    _signed_in(user)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed.token
