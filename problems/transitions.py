"""The problem lifecycle: which action moves a problem from which states to
which, and who may take it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .status import Status as S


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str | None  # None: the status stays
    actor: str  # owner, staff, owner_or_staff, invited, system


OPEN = frozenset(
    {S.PUBLISHED, S.MATCHED, S.INVITED, S.PROPOSALS, S.SESSION_HELD, S.IMPLEMENTING}
)

TRANSITIONS = {
    "submit": Transition(
        _("submit for review"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "owner"
    ),
    "start_review": Transition(
        _("start review"), frozenset({S.SUBMITTED}), S.IN_REVIEW, "staff"
    ),
    "return": Transition(
        _("return to the enterprise"),
        frozenset({S.SUBMITTED, S.IN_REVIEW}),
        S.RETURNED,
        "staff",
    ),
    "publish": Transition(_("publish"), frozenset({S.IN_REVIEW}), S.PUBLISHED, "staff"),
    "merge": Transition(
        _("merge into another problem"),
        frozenset({S.SUBMITTED, S.IN_REVIEW}) | OPEN,
        S.MERGED,
        "staff",
    ),
    "record_matches": Transition(_("record matches"), OPEN, S.MATCHED, "system"),
    "invite": Transition(
        _("invite studios"), OPEN - {S.IMPLEMENTING}, S.INVITED, "owner_or_staff"
    ),
    "propose": Transition(
        _("send a proposal"),
        frozenset({S.INVITED, S.PROPOSALS, S.SESSION_HELD}),
        S.PROPOSALS,
        "invited",
    ),
    "decline_invitation": Transition(
        _("decline the invitation"), OPEN - {S.IMPLEMENTING}, None, "invited"
    ),
    "hold_session": Transition(
        _("record a joint session"),
        frozenset({S.INVITED, S.PROPOSALS}),
        S.SESSION_HELD,
        "staff",
    ),
    "accept_proposal": Transition(
        _("accept a proposal"),
        frozenset({S.PROPOSALS, S.SESSION_HELD}),
        S.IMPLEMENTING,
        "owner",
    ),
    "decline_proposal": Transition(
        _("decline a proposal"), frozenset({S.PROPOSALS, S.SESSION_HELD}), None, "owner"
    ),
    "record_outcome": Transition(
        _("record the outcome"), frozenset({S.IMPLEMENTING}), None, "invited"
    ),
    "confirm_outcome": Transition(
        _("confirm the outcome"), frozenset({S.IMPLEMENTING}), None, "owner"
    ),
    "verify_outcome": Transition(
        _("verify the outcome"), frozenset({S.IMPLEMENTING}), "outcome", "staff"
    ),
    "close": Transition(
        _("close"),
        frozenset({S.SOLVED, S.PARTLY_SOLVED, S.NOT_SOLVED}) | OPEN,
        S.CLOSED,
        "staff",
    ),
}
