"""A problem's status and the groups of statuses the rules speak of, named
once (the transition table in transitions.py moves between them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned to the enterprise")
    PUBLISHED = "published", _("Published")
    MATCHED = "matched", _("Matched")
    INVITED = "invited", _("Studios invited")
    PROPOSALS = "proposals", _("Proposals received")
    SESSION_HELD = "session_held", _("Joint session held")
    IMPLEMENTING = "implementing", _("Implementing")
    SOLVED = "solved", _("Solved")
    PARTLY_SOLVED = "partly_solved", _("Partly solved")
    NOT_SOLVED = "not_solved", _("Not solved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another problem")


# Status groups, named once, as attributes of the enum (not members of it).
# HIDDEN_FROM_PUBLIC: seen only by the problem's enterprise and union staff —
# not yet published, or merged into another (whose page carries on; the
# duplicate may never have been reviewed). PUBLISHED: every other status.
Status.HIDDEN_FROM_PUBLIC = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.RETURNED,
        Status.MERGED,
    }
)
Status.PUBLISHED_STATES = frozenset(set(Status) - Status.HIDDEN_FROM_PUBLIC)
Status.AWAITING_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})
# The results an outcome can record, and those that count as solved.
Status.RESULTS = (Status.SOLVED, Status.PARTLY_SOLVED, Status.NOT_SOLVED)
Status.SOLVED_RESULTS = frozenset({Status.SOLVED, Status.PARTLY_SOLVED})
# Statuses a problem can have once its outcome is recorded.
Status.WITH_OUTCOME = frozenset({Status.IMPLEMENTING, *Status.RESULTS, Status.CLOSED})
