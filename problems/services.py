"""Everything that changes a problem. Each write is one keyword-only service
in one transaction: it locks the rows it changes (select_for_update: the
problem first, then what hangs from it, always in that order), checks — under
the lock, never before it — that the user may act and that the state allows
it, refuses an illegal transition with a clear message (TransitionError: a
lost race answers 409), and records the change in the audit trail."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Person, Role
from accounts.people import enterprise_of, studio_of
from core import outbox
from core.models import BackgroundJob
from notifications.services import notify
from studios.models import Achievement, Studio

from . import notices, policies
from .attachments import store
from .models import (
    ENTERPRISE_FIELDS,
    Decision,
    Invitation,
    MatchSuggestion,
    Outcome,
    Problem,
    ProblemEvent,
    Proposal,
    Status,
)
from .transitions import TRANSITIONS

User = AbstractBaseUser
Upload = tuple[str, str, bytes]  # name, content type, data (attachments.clean_upload)

PROPOSAL_ANSWER_DAYS = 14


class TransitionError(ValidationError):
    """The action is not possible in the problem's current state."""


class EditConflict(TransitionError):
    """The problem was saved by someone else since the version the edit
    started from; ``current_version`` is the version now."""

    def __init__(self, current_version: str):
        super().__init__(
            _("Someone else changed this problem while you were editing it.")
        )
        self.current_version = current_version


def _lock(problem_id: int) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem_id)


def _authorise(*, user: User | None, locked: Problem, action: str) -> None:
    """Refuse ``user`` an action on the locked problem they may not take."""
    rule = TRANSITIONS[action]
    if not policies.may_act(user, locked, rule.actor):
        if not policies.can_view(user, locked):
            raise Problem.DoesNotExist  # existence itself is confidential
        raise PermissionDenied(
            _("You may not %(action)s this problem.") % {"action": rule.label}
        )


@transaction.atomic
def transition(
    *,
    problem: Problem,
    action: str,
    user: User | None,
    note: str = "",
    target: str | None = None,
) -> Problem:
    """Apply ``action`` to ``problem`` as ``user``; returns the locked problem."""
    rule = TRANSITIONS[action]
    locked = _lock(problem.pk)
    _authorise(user=user, locked=locked, action=action)
    if locked.status not in rule.sources:
        raise TransitionError(
            _("Cannot %(action)s a problem that is “%(status)s”.")
            % {"action": rule.label, "status": locked.get_status_display()}
        )
    new_status = (
        target or (rule.target if rule.target != "outcome" else None) or (locked.status)
    )
    ProblemEvent.objects.create(
        problem=locked,
        actor=user,
        action=action,
        from_status=locked.status,
        to_status=new_status,
        note=note,
    )
    if new_status != locked.status:
        locked.status = new_status
        locked.save(update_fields=["status", "updated_at"])
    problem.status = locked.status
    return locked


# Fields of a problem its enterprise writes (the page's form, the API); the
# importer (user=None, a system write) also sets the enterprise.
EDITABLE = frozenset(ENTERPRISE_FIELDS)
SYSTEM_EDITABLE = EDITABLE | {"enterprise"}


@transaction.atomic
def save_problem(
    *,
    user: User | None,
    problem: Problem,
    fields: Mapping[str, Any],
    tags: Sequence[str] | None = None,
    files: Sequence[Upload] = (),
    version: str | None = None,
) -> Problem:
    """Create (``problem`` not saved yet) or edit a problem with its tags and
    attachments — the one way the page, the API and the importer write one.

    ``fields``: validated values by field name; ``tags``: the tag names
    (None: unchanged); ``version``: the version the edit started from (None:
    not checked) — a newer save raises EditConflict. ``user=None`` is the
    importer (a system write, not checked). An edit applies to the row locked
    and read again here, never to the caller's copy (whose status may be
    stale). Returns the saved problem."""
    unknown = set(fields) - (SYSTEM_EDITABLE if user is None else EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    if problem.pk is None:
        target = problem
        if user is not None and (
            problem.enterprise_id is None
            or getattr(enterprise_of(user), "pk", None) != problem.enterprise_id
        ):
            raise PermissionDenied(_("Only approved enterprise members post problems."))
    else:
        target = _lock(problem.pk)
        if user is not None and not policies.can_edit(user, target):
            raise PermissionDenied(_("This problem cannot be edited now."))
        if version is not None and version != target.version:
            raise EditConflict(target.version)
    many = {k: v for k, v in fields.items() if k == "alliances"}
    for name, value in fields.items():
        if name not in many:
            setattr(target, name, value)
    target.save()
    for name, value in many.items():
        getattr(target, name).set(value)
    if tags is not None:
        target.tags.set(list(tags))
        target.save()  # a cluster's tags are written by the save
    store(target, files, user)
    return target


def submit_problem(*, problem: Problem, user: User) -> Problem:
    return transition(problem=problem, action="submit", user=user)


def start_review(*, problem: Problem, user: User) -> Problem:
    return transition(problem=problem, action="start_review", user=user)


@transaction.atomic
def return_problem(*, problem: Problem, user: User, reason: str) -> Problem:
    if not reason.strip():
        raise ValidationError(_("Say why the problem is returned."))
    problem = transition(problem=problem, action="return", user=user, note=reason)
    _notify_enterprise(
        problem, notices.RETURNED, {"title": problem.title, "reason": reason}
    )
    return problem


MATCH_TASK = "problems.match_problem"


@transaction.atomic
def publish_problem(*, problem: Problem, user: User) -> Problem:
    problem = transition(problem=problem, action="publish", user=user)
    # Recorded with the publication (core.outbox); a worker matches it.
    outbox.enqueue(MATCH_TASK, problem.pk)
    return problem


def pending_matching(problem_id: int) -> BackgroundJob | None:
    """The matching of this problem that waits or runs now, if any."""
    return (
        BackgroundJob.objects.filter(
            task=MATCH_TASK,
            args=[problem_id],
            state__in=[BackgroundJob.State.PENDING, BackgroundJob.State.SENT],
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def rematch_problem(*, problem: Problem, user: User) -> BackgroundJob:
    """Union staff run the matching of a problem again (through the outbox).
    Idempotent: while one matching waits or runs, it is that one."""
    if not policies.is_staff(user):
        raise PermissionDenied
    locked = _lock(problem.pk)
    if not policies.can_rematch(user, locked):
        raise ValidationError(
            _("Only a published problem still open to studios can be matched again.")
        )
    return pending_matching(locked.pk) or outbox.enqueue(MATCH_TASK, locked.pk)


@transaction.atomic
def merge_problem(*, problem: Problem, into: Problem, user: User) -> Problem:
    """Union staff fold a duplicate into the problem that carries on; both
    audit trails say so, and the duplicate's page points to the other."""
    if into.pk == problem.pk:
        raise ValidationError(_("A problem cannot be merged into itself."))
    # Both rows, in one order (no deadlock with a merge the other way round);
    # the one that carries on is judged as it is under the lock.
    locked = {
        p.pk: p
        for p in Problem.objects.select_for_update()
        .filter(pk__in=[problem.pk, into.pk])
        .order_by("pk")
    }
    if into.pk not in locked:
        raise ValidationError(_("There is no problem #%(id)s.") % {"id": into.pk})
    into = locked[into.pk]
    if into.merged_into_id or into.status in (Status.MERGED, Status.DRAFT):
        raise ValidationError(
            _("Problem #%(id)s cannot take duplicates (a draft, or merged itself).")
            % {"id": into.pk}
        )
    problem = transition(
        problem=problem, action="merge", user=user, note=f"→ #{into.pk}"
    )
    Problem.objects.filter(pk=problem.pk).update(merged_into=into)
    ProblemEvent.objects.create(
        problem=into,
        actor=user,
        action="merged_from",
        from_status=into.status,
        to_status=into.status,
        # The number only: the other problem's enterprise reads this trail,
        # and the duplicate's title may be confidential.
        note=f"← #{problem.pk}",
    )
    problem.merged_into = into
    _notify_enterprise(
        problem,
        notices.MERGED,
        {"title": problem.title, "id": into.pk},
        into.get_absolute_url(),
    )
    return problem


@transaction.atomic
def record_matches(*, problem: Problem, matches: Iterable[Any]) -> Problem:
    """Store the engine's matches (system action); decided ones are kept."""
    locked = _lock(problem.pk)
    decided = set(
        locked.matches.exclude(decision=Decision.PENDING).values_list(
            "studio_id", flat=True
        )
    )
    locked.matches.filter(decision=Decision.PENDING).delete()
    MatchSuggestion.objects.bulk_create(
        [
            MatchSuggestion(
                problem=locked,
                studio_id=m.studio_id,
                rank=rank,
                score=m.score,
                reasons=m.reasons,
                terms=m.matched_terms,
            )
            for rank, m in enumerate(matches, 1)
            if m.studio_id not in decided
        ]
    )
    if locked.status == Status.PUBLISHED:
        transition(problem=locked, action="record_matches", user=None)
    return locked


@transaction.atomic
def decide_match(
    *, suggestion: MatchSuggestion, user: User, decision: str, reason: str = ""
) -> MatchSuggestion:
    """Confirm or dismiss a match. The same decision twice (two people at
    once, or a form sent again) is refused: the trail records it once."""
    if decision not in (Decision.CONFIRMED, Decision.DISMISSED):
        raise ValidationError(_("Confirm or dismiss."))
    locked = _lock(suggestion.problem_id)
    if not policies.can_see_matches(user, locked):
        raise Problem.DoesNotExist
    if locked.status not in TRANSITIONS["invite"].sources:
        raise TransitionError(
            _("Matches are no longer decided once a proposal has been accepted.")
        )
    if decision == Decision.DISMISSED and not reason.strip():
        raise ValidationError(_("Say why this studio is dismissed."))
    current = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if current.decision == decision:
        raise TransitionError(
            _("This match is already confirmed.")
            if decision == Decision.CONFIRMED
            else _("This match is already dismissed.")
        )
    current.decision, current.decision_reason = decision, reason
    current.decided_by, current.decided_at = user, timezone.now()
    current.save()
    ProblemEvent.objects.create(
        problem=locked,
        actor=user,
        action=f"match_{decision}",
        note=f"{current.studio_id}: {reason}",
    )
    suggestion.refresh_from_db()
    return suggestion


@transaction.atomic
def invite_studios(
    *, problem: Problem, studios: Sequence[Studio], user: User
) -> Problem:
    if not studios:
        raise ValidationError(_("Choose at least one studio to invite."))
    locked = _lock(problem.pk)
    # Read under the row lock: someone may have sent the same invitation
    invited = set(locked.invitations.values_list("studio_id", flat=True))
    studios = [s for s in studios if s.pk not in invited]
    # (checks who acts and the state first; a refusal below rolls it back)
    problem = transition(
        problem=problem,
        action="invite",
        user=user,
        note=", ".join(s.slug for s in studios),
    )
    if not studios:
        raise TransitionError(_("These studios are already invited."))
    for studio in studios:
        Invitation.objects.create(problem=problem, studio=studio, invited_by=user)
        _notify_studio(
            studio,
            notices.INVITED,
            {"title": problem.title},
            problem.get_absolute_url(),
        )
    problem.invited_now = studios
    # Whoever invited hears of studios nobody could be told about
    reachable = set(
        Person.objects.filter(
            role=Role.CRAFTSMAN,
            studio__in=studios,
            approved_at__isnull=False,
        ).values_list("studio_id", flat=True)
    )
    problem.unreachable = [s for s in studios if s.pk not in reachable]
    return problem


@transaction.atomic
def submit_proposal(
    *,
    problem: Problem,
    user: User,
    text: str,
    estimated_cost_wan_yuan=None,
    estimated_days: int | None = None,
    files: Sequence[Upload] = (),
) -> Proposal:
    """``files``: cleaned uploads (attachments.clean_upload) to attach."""
    if not text.strip():
        raise ValidationError(_("A proposal needs a text."))
    problem = transition(problem=problem, action="propose", user=user)
    if problem.invitations.filter(
        studio=studio_of(user), declined_at__isnull=False
    ).exists():
        raise TransitionError(_("Your studio declined this invitation."))
    proposal = Proposal.objects.create(
        problem=problem,
        studio=studio_of(user),
        author=user,
        text=text,
        estimated_cost_wan_yuan=estimated_cost_wan_yuan,
        estimated_days=estimated_days,
        respond_by=timezone.localdate() + datetime.timedelta(days=PROPOSAL_ANSWER_DAYS),
    )
    store(problem, files, user, proposal=proposal)
    _notify_enterprise(
        problem,
        notices.PROPOSAL_ARRIVED,
        {"title": problem.title},
        problem.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def decline_invitation(*, problem: Problem, user: User, reason: str) -> Problem:
    """An invited studio says no, and why; the enterprise hears it."""
    if not reason.strip():
        raise ValidationError(_("Say why your studio declines."))
    problem = transition(
        problem=problem, action="decline_invitation", user=user, note=reason
    )
    studio = studio_of(user)
    # One conditional UPDATE under the problem's lock: declined once only
    if not Invitation.objects.filter(
        problem=problem, studio=studio, declined_at__isnull=True
    ).update(declined_at=timezone.now(), decline_reason=reason):
        raise TransitionError(_("Your studio has already declined this invitation."))
    _notify_enterprise(
        problem,
        notices.INVITATION_DECLINED,
        {"studio": studio.name, "title": problem.title, "reason": reason},
        problem.get_absolute_url(),
    )
    return problem


def _answer(*, proposal: Proposal, user: User, action: str, note: str):
    """Lock the problem (the transition checks who acts and the state), then
    the proposal, and check under both locks that it is still unanswered."""
    problem = transition(problem=proposal.problem, action=action, user=user, note=note)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.problem_id != problem.pk:
        raise Proposal.DoesNotExist
    if locked.state != Proposal.State.SUBMITTED:
        raise TransitionError(_("This proposal has already been answered."))
    return problem, locked


@transaction.atomic
def accept_proposal(*, proposal: Proposal, user: User, note: str = "") -> Proposal:
    problem, locked = _answer(
        proposal=proposal, user=user, action="accept_proposal", note=note
    )
    locked.state, locked.response_note = Proposal.State.ACCEPTED, note
    locked.responded_at = timezone.now()
    locked.save(update_fields=["state", "response_note", "responded_at"])
    _notify_studio(
        locked.studio,
        notices.PROPOSAL_ACCEPTED,
        {"title": problem.title},
        problem.get_absolute_url(),
    )
    proposal.refresh_from_db()  # the caller's copy says it too
    return proposal


@transaction.atomic
def decline_proposal(
    *, proposal: Proposal, user: User, reason: str, note: str = ""
) -> Proposal:
    if reason not in Proposal.DeclineReason.values:
        raise ValidationError(_("Choose a reason for declining."))
    __, locked = _answer(
        proposal=proposal,
        user=user,
        action="decline_proposal",
        note=f"{reason}: {note}",
    )
    locked.state, locked.decline_reason = Proposal.State.DECLINED, reason
    locked.response_note, locked.responded_at = note, timezone.now()
    locked.save(
        update_fields=["state", "decline_reason", "response_note", "responded_at"]
    )
    proposal.refresh_from_db()
    return proposal


def record_session(
    *,
    problem: Problem,
    user: User,
    held_on: datetime.date,
    place: str = "",
    note: str = "",
) -> Problem:
    """Union staff record that a joint session was held (kept in the audit
    trail until joint sessions get their own records)."""
    summary = " · ".join(p for p in (held_on.isoformat(), place, note) if p)
    return transition(problem=problem, action="hold_session", user=user, note=summary)


@transaction.atomic
def record_outcome(
    *,
    problem: Problem,
    user: User,
    result: str,
    solution: str,
    projected_benefit_wan_yuan=None,
    actual_benefit_wan_yuan=None,
    patents: int = 0,
    five_smalls: int = 0,
) -> Outcome:
    if result not in Status.RESULTS:
        raise ValidationError(_("Say whether the problem was solved."))
    problem = transition(problem=problem, action="record_outcome", user=user)
    outcome, __ = Outcome.objects.update_or_create(
        problem=problem,
        defaults={
            "studio": studio_of(user),
            "result": result,
            "solution": solution,
            "projected_benefit_wan_yuan": projected_benefit_wan_yuan,
            "actual_benefit_wan_yuan": actual_benefit_wan_yuan,
            "patents": patents,
            "five_smalls": five_smalls,
            "recorded_by": user,
            "confirmed_at": None,
            "confirmed_by": None,
        },
    )
    return outcome


@transaction.atomic
def confirm_outcome(*, problem: Problem, user: User) -> Outcome:
    transition(problem=problem, action="confirm_outcome", user=user)
    outcome = _outcome(problem)  # read under the problem's lock
    if outcome.confirmed_at is not None:
        raise TransitionError(_("This outcome is already confirmed."))
    outcome.confirmed_at, outcome.confirmed_by = timezone.now(), user
    outcome.save(update_fields=["confirmed_at", "confirmed_by"])
    return outcome


@transaction.atomic
def verify_outcome(*, problem: Problem, user: User) -> Outcome:
    """Union staff verify a confirmed outcome: the problem takes its result and
    the studio gets the achievement on its public page."""
    locked = _lock(problem.pk)
    _authorise(user=user, locked=locked, action="verify_outcome")
    outcome = _outcome(locked)  # read under the problem's lock
    if outcome.confirmed_at is None:
        raise TransitionError(_("The enterprise has not confirmed this outcome yet."))
    problem = transition(
        problem=problem, action="verify_outcome", user=user, target=outcome.result
    )
    achievement = Achievement(
        studio=outcome.studio,
        kind=Achievement.Kind.PROJECT,
        year=timezone.localdate().year,
        sort_order=outcome.studio.achievements.count(),
    )
    _describe_achievement(achievement, problem, outcome)
    achievement.save()
    outcome.verified_at, outcome.verified_by = timezone.now(), user
    outcome.achievement = achievement
    outcome.save(update_fields=["verified_at", "verified_by", "achievement"])
    return outcome


def _describe_achievement(achievement, problem, outcome):
    """What the studio's public achievement says of a verified outcome: the
    problem's title, the solution and the benefit only while everyone may read
    the problem; otherwise that a confidential problem was solved, no more."""
    public = Problem.objects.public().filter(pk=problem.pk).exists()
    achievement.title = (
        _("Solved: %(title)s") % {"title": problem.title}
        if public
        else _("Solved a confidential production problem")
    )[:200]
    achievement.summary = outcome.solution if public else ""
    achievement.benefit_wan_yuan = outcome.actual_benefit_wan_yuan if public else None


@transaction.atomic
def refresh_achievement(*, problem_id: int) -> Achievement | None:
    """Re-derive the achievement of a problem's verified outcome from the
    problem as it is now (run after a change to it commits)."""
    outcome = (
        Outcome.objects.select_related("problem")
        .filter(problem_id=problem_id, achievement__isnull=False)
        .first()
    )
    if outcome is None:
        return None
    achievement = Achievement.objects.select_for_update().get(pk=outcome.achievement_id)
    before = (achievement.title, achievement.summary, achievement.benefit_wan_yuan)
    _describe_achievement(achievement, outcome.problem, outcome)
    if (achievement.title, achievement.summary, achievement.benefit_wan_yuan) != before:
        achievement.save(update_fields=["title", "summary", "benefit_wan_yuan"])
    return achievement


def close_problem(*, problem: Problem, user: User, note: str = "") -> Problem:
    return transition(problem=problem, action="close", user=user, note=note)


REMIND_DAYS_BEFORE = 2


def remind_proposal_deadlines(*, today: datetime.date | None = None) -> int:
    """Tell enterprises, once, that a proposal's answer-by date is near. Each
    reminder is its own transaction on the locked proposal, so two runs at
    once (a retried beat) remind once."""
    today = today or timezone.localdate()
    due = Proposal.objects.filter(
        state=Proposal.State.SUBMITTED,
        reminded_at__isnull=True,
        respond_by__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        count += _remind(proposal_id=pk, due=due)
    return count


@transaction.atomic
def _remind(*, proposal_id: int, due) -> int:
    proposal = (
        due.select_for_update(skip_locked=True, of=("self",))
        .select_related("problem", "studio")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:  # reminded (or answered) meanwhile
        return 0
    _notify_enterprise(
        proposal.problem,
        notices.ANSWER_DUE,
        {
            "studio": proposal.studio.name,
            "title": proposal.problem.title,
            "date": proposal.respond_by,
        },
        proposal.problem.get_absolute_url(),
    )
    proposal.reminded_at = timezone.now()
    proposal.save(update_fields=["reminded_at"])
    return 1


def _outcome(problem):
    try:
        return Outcome.objects.get(problem=problem)
    except Outcome.DoesNotExist as exc:
        raise TransitionError(_("No outcome has been recorded yet.")) from exc


def _notify_enterprise(problem, key, params, url=""):
    people = Person.objects.filter(
        role=Role.ENTERPRISE, enterprise=problem.enterprise, approved_at__isnull=False
    ).select_related("user")
    notify(recipients=[p.user for p in people], key=key, params=params, url=url)


def _notify_studio(studio, key, params, url=""):
    people = Person.objects.filter(
        role=Role.CRAFTSMAN, studio=studio, approved_at__isnull=False
    ).select_related("user")
    notify(recipients=[p.user for p in people], key=key, params=params, url=url)
