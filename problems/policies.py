"""Who may do what with a problem, decided on the object itself.

A person who may not see a problem learns nothing of it: views answer 404.
"""

from accounts.people import enterprise_of, is_staff, studio_of

from .models import Confidentiality, Invitation, Status

# A merged duplicate is followed on the problem that carries on; its own page
# stays with its enterprise and union staff (it may never have been reviewed).
HIDDEN_FROM_PUBLIC = {
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.RETURNED,
    Status.MERGED,
}


def is_owner(user, problem):
    enterprise = enterprise_of(user)
    return enterprise is not None and enterprise.pk == problem.enterprise_id


def is_invited(user, problem):
    studio = studio_of(user)
    return (
        studio is not None
        and Invitation.objects.filter(problem=problem, studio=studio).exists()
    )


def in_alliance(user, problem):
    """A member enterprise or studio of one of the problem's chosen alliances."""
    alliances = set(problem.alliances.values_list("pk", flat=True))
    if not alliances:
        return False
    studio = studio_of(user)
    if studio and set(studio.alliances.values_list("pk", flat=True)) & alliances:
        return True
    enterprise = enterprise_of(user)
    return (
        bool(enterprise)
        and enterprise.studios.filter(alliances__in=alliances, live=True).exists()
    )


def can_view(user, problem):
    if is_staff(user) or is_owner(user, problem):
        return True
    if problem.status in HIDDEN_FROM_PUBLIC:
        return False
    if is_invited(user, problem):
        return True
    if problem.confidentiality == Confidentiality.PUBLIC:
        return True
    if problem.confidentiality == Confidentiality.ALLIANCE:
        return in_alliance(user, problem)
    return False


def can_view_summary(user, problem):
    """The redacted public summary of an invited-only problem."""
    return (
        problem.confidentiality == Confidentiality.INVITED
        and bool(problem.public_summary)
        and problem.status not in HIDDEN_FROM_PUBLIC
    )


def can_edit(user, problem):
    if is_staff(user):
        return problem.status not in {Status.CLOSED, Status.MERGED}
    return is_owner(user, problem) and problem.status in {Status.DRAFT, Status.RETURNED}


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
