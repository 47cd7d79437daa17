"""What the problem board tells people: its notification messages, rendered
in the reader's language when read (notifications.messages)."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import register

RETURNED = register(
    "problem.returned", _("Your problem “%(title)s” was returned: %(reason)s")
)
MERGED = register(
    "problem.merged",
    _("Your problem “%(title)s” was merged into problem #%(id)s, where it continues."),
)
INVITED = register(
    "problem.invited", _("Your studio is invited to the problem “%(title)s”.")
)
PROPOSAL_ARRIVED = register(
    "proposal.arrived", _("A proposal arrived for “%(title)s”.")
)
INVITATION_DECLINED = register(
    "invitation.declined",
    _("%(studio)s declined the invitation to “%(title)s”: %(reason)s"),
)
PROPOSAL_ACCEPTED = register(
    "proposal.accepted", _("Your proposal for “%(title)s” was accepted.")
)
ANSWER_DUE = register(
    "proposal.answer_due",
    _("Please answer the proposal of %(studio)s for “%(title)s” by %(date)s."),
)
