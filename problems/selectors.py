from django.db.models import Q

from accounts.people import enterprise_of, is_staff, studio_of

from .models import Confidentiality, Problem
from .policies import HIDDEN_FROM_PUBLIC


def visible_problems(user):
    """Problems the board lists for ``user`` (the same rules as policies.can_view),
    plus invited-only problems that offer a redacted public summary."""
    problems = Problem.objects.select_related("enterprise", "industry_chain")
    if is_staff(user):
        return problems
    published = ~Q(status__in=HIDDEN_FROM_PUBLIC)
    rule = published & (
        Q(confidentiality=Confidentiality.PUBLIC)
        | (Q(confidentiality=Confidentiality.INVITED) & ~Q(public_summary=""))
    )
    if enterprise := enterprise_of(user):
        rule |= Q(enterprise=enterprise)
        rule |= published & Q(
            confidentiality=Confidentiality.ALLIANCE,
            alliances__studios__enterprise=enterprise,
        )
    if studio := studio_of(user):
        rule |= published & Q(invitations__studio=studio)
        rule |= published & Q(
            confidentiality=Confidentiality.ALLIANCE, alliances__studios=studio
        )
    return problems.filter(rule).distinct()


def overdue_proposals(today=None):
    from django.utils import timezone

    from .models import Proposal

    return (
        Proposal.objects.filter(
            state=Proposal.State.SUBMITTED, respond_by__lt=today or timezone.localdate()
        )
        .select_related("problem", "problem__enterprise", "studio")
        .order_by("respond_by")
    )
