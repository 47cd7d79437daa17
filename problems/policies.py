"""Who may do what with a problem, decided on the object itself.

Who may *read* a problem — whole, or only its redacted summary — is the
queryset rule in models.py (``Problem.objects.visible_to`` / ``listed_for``);
the predicates here ask that rule about one object. A person who may not see a
problem learns nothing of it: views answer 404.
"""

from accounts.people import enterprise_of, is_staff, studio_of

from .models import Invitation, Problem, Status
from .transitions import TRANSITIONS

FULL, SUMMARY = "full", "summary"


def is_owner(user, problem):
    enterprise = enterprise_of(user)
    return enterprise is not None and enterprise.pk == problem.enterprise_id


def is_invited(user, problem):
    studio = studio_of(user)
    return (
        studio is not None
        and Invitation.objects.filter(problem=problem, studio=studio).exists()
    )


def access(user, problem):
    """FULL, SUMMARY or None: how much of ``problem`` the user may read."""
    row = (
        Problem.objects.listed_for(user)
        .filter(pk=problem.pk)
        .values_list("full_view", flat=True)
        .first()
    )
    if row is None:
        return None
    return FULL if row else SUMMARY


def can_view(user, problem):
    return Problem.objects.visible_to(user).filter(pk=problem.pk).exists()


def can_view_summary(user, problem):
    """The redacted public summary of an invited-only problem."""
    return access(user, problem) is not None


def can_edit(user, problem):
    if is_staff(user):
        return problem.status not in {Status.CLOSED, Status.MERGED}
    return is_owner(user, problem) and problem.status in {Status.DRAFT, Status.RETURNED}


def can_rematch(user, problem):
    """Union staff run the matching again (a publication whose matching was
    lost, new studios since): while the problem is open to matches."""
    return is_staff(user) and problem.status in TRANSITIONS["record_matches"].sources


def can_download_attachments(user, problem):
    return is_staff(user) or is_owner(user, problem) or is_invited(user, problem)


def visible_proposals(user, problem):
    """All proposals for staff and the enterprise; a studio sees its own only
    (proposals are addressed to the enterprise, not to competing studios)."""
    if is_staff(user) or is_owner(user, problem):
        return problem.proposals.all()
    studio = studio_of(user)
    if studio is not None and is_invited(user, problem):
        return problem.proposals.filter(studio=studio)
    return problem.proposals.none()


def can_download(user, attachment):
    """A problem's files: whoever may download its attachments; a proposal's
    files: union staff, the enterprise and the proposing studio only."""
    problem = attachment.problem
    if not can_download_attachments(user, problem):
        return False
    if attachment.proposal_id is None:
        return True
    return visible_proposals(user, problem).filter(pk=attachment.proposal_id).exists()


def can_see_matches(user, problem):
    return is_staff(user) or is_owner(user, problem)


def can_propose(user, problem):
    return is_invited(user, problem)


def may_act(user, problem, actor):
    """Whether ``user`` is the ``actor`` a transition names (transitions.py)."""
    if actor == "system":
        return user is None
    if user is None:
        return False
    return {
        "owner": lambda: is_owner(user, problem),
        "staff": lambda: is_staff(user),
        "owner_or_staff": lambda: is_staff(user) or is_owner(user, problem),
        "invited": lambda: is_invited(user, problem),
    }[actor]()


def available_actions(user, problem):
    """The actions ``user`` may take on ``problem`` now, as the transition
    table and the policies above say: a transition is offered when the
    problem is in one of its source states and the user is its actor; match
    decisions follow the invitation (they fold away once a proposal is
    accepted); the outcome's steps also need the outcome in the right state."""
    available = {
        name
        for name, rule in TRANSITIONS.items()
        if rule.actor != "system"
        and problem.status in rule.sources
        and may_act(user, problem, rule.actor)
    }
    if {"propose", "decline_invitation"} & available and (
        Invitation.objects.filter(
            problem=problem, studio=studio_of(user), declined_at__isnull=False
        ).exists()
    ):
        available -= {"propose", "decline_invitation"}
    # a joint session is recorded by the joint session itself, not by hand
    available.discard("hold_session")
    if "invite" in available and can_see_matches(user, problem):
        available.add("decide_match")
    outcome = getattr(problem, "outcome", None) if problem.pk else None
    if outcome is None or outcome.confirmed_at is not None:
        available.discard("confirm_outcome")
    if outcome is None or outcome.confirmed_at is None:
        available.discard("verify_outcome")
    return available
