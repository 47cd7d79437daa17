"""Everything that changes a problem. Each service checks, on the object, that
the user may act; refuses an illegal transition with a clear message; locks
the problem row (select_for_update) so concurrent actions cannot interleave;
and records the change in the audit trail."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Person, Role
from accounts.people import studio_of
from core import aftercommit, outbox

from . import policies
from .models import (
    Decision,
    Invitation,
    MatchSuggestion,
    Notification,
    Outcome,
    Problem,
    ProblemEvent,
    Proposal,
    Status,
)
from .transitions import TRANSITIONS

PROPOSAL_ANSWER_DAYS = 14


class TransitionError(ValidationError):
    """The action is not possible in the problem's current state."""


@transaction.atomic
def transition(*, problem, action, user, note="", target=None):
    """Apply ``action`` to ``problem`` as ``user``; returns the locked problem."""
    rule = TRANSITIONS[action]
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if not policies.may_act(user, locked, rule.actor):
        if not policies.can_view(user, locked):
            raise Problem.DoesNotExist  # existence itself is confidential
        raise PermissionDenied(
            _("You may not %(action)s this problem.") % {"action": rule.label}
        )
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


def submit_problem(*, problem, user):
    return transition(problem=problem, action="submit", user=user)


def start_review(*, problem, user):
    return transition(problem=problem, action="start_review", user=user)


@transaction.atomic
def return_problem(*, problem, user, reason):
    if not reason.strip():
        raise ValidationError(_("Say why the problem is returned."))
    problem = transition(problem=problem, action="return", user=user, note=reason)
    _notify_enterprise(
        problem,
        _("Your problem “%(title)s” was returned: %(reason)s")
        % {"title": problem.title, "reason": reason},
    )
    return problem


@transaction.atomic
def publish_problem(*, problem, user):
    problem = transition(problem=problem, action="publish", user=user)
    # Recorded with the publication (core.outbox); a worker matches it.
    outbox.enqueue("problems.match_problem", problem.pk)
    return problem


@transaction.atomic
def merge_problem(*, problem, into, user):
    """Union staff fold a duplicate into the problem that carries on; both
    audit trails say so, and the duplicate's page points to the other."""
    if into.pk == problem.pk:
        raise ValidationError(_("A problem cannot be merged into itself."))
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
        _(
            "Your problem “%(title)s” was merged into problem #%(id)s, "
            "where it continues."
        )
        % {"title": problem.title, "id": into.pk},
        into.get_absolute_url(),
    )
    return problem


def record_matches(*, problem, matches):
    """Store the engine's matches (system action); decided ones are kept."""
    with transaction.atomic():
        locked = Problem.objects.select_for_update().get(pk=problem.pk)
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
def decide_match(*, suggestion, user, decision, reason=""):
    problem = suggestion.problem
    if not policies.can_see_matches(user, problem):
        raise Problem.DoesNotExist
    if decision not in (Decision.CONFIRMED, Decision.DISMISSED):
        raise ValidationError(_("Confirm or dismiss."))
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.status not in TRANSITIONS["invite"].sources:
        raise TransitionError(
            _("Matches are no longer decided once a proposal has been accepted.")
        )
    if decision == Decision.DISMISSED and not reason.strip():
        raise ValidationError(_("Say why this studio is dismissed."))
    suggestion.decision, suggestion.decision_reason = decision, reason
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.save()
    ProblemEvent.objects.create(
        problem=problem,
        actor=user,
        action=f"match_{decision}",
        note=f"{suggestion.studio_id}: {reason}",
    )
    return suggestion


@transaction.atomic
def invite_studios(*, problem, studios, user):
    if not studios:
        raise ValidationError(_("Choose at least one studio to invite."))
    invited = set(problem.invitations.values_list("studio_id", flat=True))
    problem = transition(
        problem=problem,
        action="invite",
        user=user,
        note=", ".join(s.slug for s in studios if s.pk not in invited),
    )
    # read again under the row lock: someone may have sent the same invitation
    invited = set(problem.invitations.values_list("studio_id", flat=True))
    studios = [s for s in studios if s.pk not in invited]
    if not studios:
        raise TransitionError(_("These studios are already invited."))
    for studio in studios:
        Invitation.objects.create(problem=problem, studio=studio, invited_by=user)
        _notify_studio(
            studio,
            _("Your studio is invited to the problem “%(title)s”.")
            % {"title": problem.title},
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
    problem,
    user,
    text,
    estimated_cost_wan_yuan=None,
    estimated_days=None,
    files=(),
):
    """``files``: cleaned uploads (attachments.clean_upload) to attach."""
    from .attachments import store

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
        _("A proposal arrived for “%(title)s”.") % {"title": problem.title},
        problem.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def decline_invitation(*, problem, user, reason):
    """An invited studio says no, and why; the enterprise hears it."""
    if not reason.strip():
        raise ValidationError(_("Say why your studio declines."))
    problem = transition(
        problem=problem, action="decline_invitation", user=user, note=reason
    )
    studio = studio_of(user)
    if not Invitation.objects.filter(
        problem=problem, studio=studio, declined_at__isnull=True
    ).update(declined_at=timezone.now(), decline_reason=reason):
        raise TransitionError(_("Your studio has already declined this invitation."))
    _notify_enterprise(
        problem,
        _("%(studio)s declined the invitation to “%(title)s”: %(reason)s")
        % {"studio": studio.name, "title": problem.title, "reason": reason},
        problem.get_absolute_url(),
    )
    return problem


def _open_proposal(proposal):
    """Checked again once the problem row is locked: the proposal may have been
    answered by someone else in the meantime."""
    if proposal.state != Proposal.State.SUBMITTED:
        raise TransitionError(_("This proposal has already been answered."))


def _still_open(proposal):
    _open_proposal(Proposal.objects.get(pk=proposal.pk))


@transaction.atomic
def accept_proposal(*, proposal, user, note=""):
    _open_proposal(proposal)
    transition(problem=proposal.problem, action="accept_proposal", user=user, note=note)
    _still_open(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        state=Proposal.State.ACCEPTED, response_note=note, responded_at=timezone.now()
    )
    _notify_studio(
        proposal.studio,
        _("Your proposal for “%(title)s” was accepted.")
        % {"title": proposal.problem.title},
        proposal.problem.get_absolute_url(),
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def decline_proposal(*, proposal, user, reason, note=""):
    _open_proposal(proposal)
    if reason not in Proposal.DeclineReason.values:
        raise ValidationError(_("Choose a reason for declining."))
    transition(
        problem=proposal.problem,
        action="decline_proposal",
        user=user,
        note=f"{reason}: {note}",
    )
    _still_open(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        state=Proposal.State.DECLINED,
        decline_reason=reason,
        response_note=note,
        responded_at=timezone.now(),
    )
    proposal.refresh_from_db()
    return proposal


def record_session(*, problem, user, held_on, place="", note=""):
    """Union staff record that a joint session was held (kept in the audit
    trail until joint sessions get their own records)."""
    summary = " · ".join(p for p in (held_on.isoformat(), place, note) if p)
    return transition(problem=problem, action="hold_session", user=user, note=summary)


@transaction.atomic
def record_outcome(
    *,
    problem,
    user,
    result,
    solution,
    projected_benefit_wan_yuan=None,
    actual_benefit_wan_yuan=None,
    patents=0,
    five_smalls=0,
):
    if result not in (Status.SOLVED, Status.PARTLY_SOLVED, Status.NOT_SOLVED):
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
def confirm_outcome(*, problem, user):
    _outcome(problem)
    transition(problem=problem, action="confirm_outcome", user=user)
    outcome = _outcome(problem)  # read again under the problem's lock
    if outcome.confirmed_at is not None:
        raise TransitionError(_("This outcome is already confirmed."))
    Outcome.objects.filter(pk=outcome.pk).update(
        confirmed_at=timezone.now(), confirmed_by=user
    )
    outcome.refresh_from_db()
    return outcome


@transaction.atomic
def verify_outcome(*, problem, user):
    """Union staff verify a confirmed outcome: the problem takes its result and
    the studio gets the achievement on its public page."""
    from studios.models import Achievement

    outcome = _outcome(problem)
    if outcome.confirmed_at is None:
        raise TransitionError(_("The enterprise has not confirmed this outcome yet."))
    problem = transition(
        problem=problem, action="verify_outcome", user=user, target=outcome.result
    )
    current = _outcome(problem)  # read again under the problem's lock
    if current.confirmed_at is None or current.result != outcome.result:
        raise TransitionError(_("The outcome changed meanwhile: look at it again."))
    achievement = Achievement(
        studio=outcome.studio,
        kind=Achievement.Kind.PROJECT,
        year=timezone.localdate().year,
        sort_order=outcome.studio.achievements.count(),
    )
    _describe_achievement(achievement, problem, outcome)
    achievement.save()
    Outcome.objects.filter(pk=outcome.pk).update(
        verified_at=timezone.now(), verified_by=user, achievement=achievement
    )
    outcome.refresh_from_db()
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
def refresh_achievement(*, problem_id):
    """Re-derive the achievement of a problem's verified outcome from the
    problem as it is now (run after a change to it commits)."""
    outcome = (
        Outcome.objects.select_related("achievement", "problem")
        .filter(problem_id=problem_id, achievement__isnull=False)
        .first()
    )
    if outcome is None:
        return None
    achievement = outcome.achievement
    before = (achievement.title, achievement.summary, achievement.benefit_wan_yuan)
    _describe_achievement(achievement, outcome.problem, outcome)
    if (achievement.title, achievement.summary, achievement.benefit_wan_yuan) != before:
        achievement.save(update_fields=["title", "summary", "benefit_wan_yuan"])
    return achievement


def close_problem(*, problem, user, note=""):
    return transition(problem=problem, action="close", user=user, note=note)


REMIND_DAYS_BEFORE = 2


def remind_proposal_deadlines(*, today=None):
    """Tell enterprises, once, that a proposal's answer-by date is near."""
    today = today or timezone.localdate()
    due = Proposal.objects.filter(
        state=Proposal.State.SUBMITTED,
        reminded_at__isnull=True,
        respond_by__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("problem", "studio")
    count = 0
    for proposal in due:
        _notify_enterprise(
            proposal.problem,
            _("Please answer the proposal of %(studio)s for “%(title)s” by %(date)s.")
            % {
                "studio": proposal.studio.name,
                "title": proposal.problem.title,
                "date": proposal.respond_by,
            },
            proposal.problem.get_absolute_url(),
        )
        Proposal.objects.filter(pk=proposal.pk).update(reminded_at=timezone.now())
        count += 1
    return count


def _outcome(problem):
    try:
        return Outcome.objects.get(problem=problem)
    except Outcome.DoesNotExist as exc:
        raise TransitionError(_("No outcome has been recorded yet.")) from exc


def notify(users, text, url=""):
    users = list(users)
    # A title and a reason together may pass the column's length: shorten
    # the notification (the full text stays in the audit trail).
    limit = Notification._meta.get_field("text").max_length
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    Notification.objects.bulk_create(
        [Notification(user=u, text=text, url=url) for u in users]
    )
    emails = [u.email for u in users if u.email]
    # A mail is read away from the site: its link carries the site's address.
    link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    if emails:
        aftercommit.on_commit(
            lambda: send_mail(text, f"{text}\n{link}", None, emails),
            "notification mail",
            "The notification itself is on the site.",
        )


def _notify_enterprise(problem, text, url=""):
    people = Person.objects.filter(
        role=Role.ENTERPRISE, enterprise=problem.enterprise, approved_at__isnull=False
    ).select_related("user")
    notify([p.user for p in people], text, url)


def _notify_studio(studio, text, url=""):
    people = Person.objects.filter(
        role=Role.CRAFTSMAN, studio=studio, approved_at__isnull=False
    ).select_related("user")
    notify([p.user for p in people], text, url)
