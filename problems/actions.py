"""POSTed actions on a problem, each handed to its service:
ACTIONS[name](problem, user, data, files) — files are used by those that take
them (a proposal's attachments) and ignored by the others."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.people import is_staff
from core.limits import parse_id
from studios.models import Studio

from . import services
from .forms import OutcomeForm, ProposalForm
from .models import MEDIUM_TEXT, SHORT_TEXT, MatchSuggestion, Problem, Proposal

MAX_STUDIOS = 50  # invited at once


# The words for the text fields of actions, used in their error messages
# (a person reads "Reason", never the field's name "reason").
LABELS = {
    "reason": gettext_lazy("Reason"),
    "note": gettext_lazy("Note"),
    "decision": gettext_lazy("Decision"),
}


def _form(form_class, data, files=None):
    form = form_class(data, files)
    if not form.is_valid():
        raise ValidationError(
            [
                " ".join(errors)
                if field == "__all__"
                else _("%(field)s: %(errors)s")
                % {"field": form.fields[field].label, "errors": " ".join(errors)}
                for field, errors in form.errors.items()
            ]
        )
    return form.cleaned_data


def _text(data, key, limit):
    """A text field of an action: a string of at most ``limit`` characters."""
    value = data.get(key, "")
    label = LABELS[key]
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s: give a text.") % {"field": label})
    if len(value) > limit:
        raise ValidationError(
            _("%(field)s: at most %(limit)d characters (%(length)d given).")
            % {"field": label, "limit": limit, "length": len(value)}
        )
    return value


def _invite(problem, user, data, files=None):
    ids = data.getlist("studio")
    if len(ids) > MAX_STUDIOS:
        raise ValidationError(_("At most %(n)d studios at once.") % {"n": MAX_STUDIOS})
    ids = [parse_id(v, _("Studio")) for v in ids]
    studios = list(Studio.objects.filter(live=True, pk__in=ids))
    return services.invite_studios(problem=problem, user=user, studios=studios)


def _decide(problem, user, data, files=None):
    suggestion = get_object_or_404(
        MatchSuggestion, pk=parse_id(data.get("match"), _("Match")), problem=problem
    )
    return services.decide_match(
        suggestion=suggestion,
        user=user,
        decision=_text(data, "decision", SHORT_TEXT),
        reason=_text(data, "reason", SHORT_TEXT),
    )


def _merge(problem, user, data, files=None):
    if not is_staff(user):  # before any lookup: problem numbers tell nothing
        raise PermissionDenied
    # A ticked likely duplicate, or a number typed in
    into = next(
        (str(v).strip() for v in data.getlist("into") if str(v).strip()), ""
    ).lstrip("#")
    if not (into.isascii() and into.isdigit() and len(into) <= 12):
        raise ValidationError(_("Give the number of the problem to merge into."))
    try:
        target = Problem.objects.get(pk=int(into))
    except Problem.DoesNotExist as exc:
        raise ValidationError(_("There is no problem #%(id)s.") % {"id": into}) from exc
    return services.merge_problem(problem=problem, into=target, user=user)


def _proposal(problem, data):
    return get_object_or_404(
        Proposal, pk=parse_id(data.get("proposal"), _("Proposal")), problem=problem
    )


ACTIONS = {
    "submit": lambda p, u, d, f=None: services.submit_problem(problem=p, user=u),
    "start_review": lambda p, u, d, f=None: services.start_review(problem=p, user=u),
    "return": lambda p, u, d, f=None: services.return_problem(
        problem=p, user=u, reason=_text(d, "reason", SHORT_TEXT)
    ),
    "publish": lambda p, u, d, f=None: services.publish_problem(problem=p, user=u),
    "merge": _merge,
    "decide_match": _decide,
    "invite": _invite,
    "propose": lambda p, u, d, f=None: services.submit_proposal(
        problem=p, user=u, **_form(ProposalForm, d, f)
    ),
    "decline_invitation": lambda p, u, d, f=None: services.decline_invitation(
        problem=p, user=u, reason=_text(d, "reason", SHORT_TEXT)
    ),
    "accept_proposal": lambda p, u, d, f=None: services.accept_proposal(
        proposal=_proposal(p, d), user=u, note=_text(d, "note", MEDIUM_TEXT)
    ),
    "decline_proposal": lambda p, u, d, f=None: services.decline_proposal(
        proposal=_proposal(p, d),
        user=u,
        reason=_text(d, "reason", SHORT_TEXT),
        note=_text(d, "note", MEDIUM_TEXT),
    ),
    "record_outcome": lambda p, u, d, f=None: services.record_outcome(
        problem=p, user=u, **_form(OutcomeForm, d)
    ),
    "confirm_outcome": lambda p, u, d, f=None: services.confirm_outcome(
        problem=p, user=u
    ),
    "verify_outcome": lambda p, u, d, f=None: services.verify_outcome(
        problem=p, user=u
    ),
    "close": lambda p, u, d, f=None: services.close_problem(
        problem=p, user=u, note=_text(d, "note", MEDIUM_TEXT)
    ),
}


def _invited(problem):
    n = len(getattr(problem, "invited_now", ()))
    return ngettext(
        "%(n)d studio invited; its members are notified.",
        "%(n)d studios invited; their members are notified.",
        n,
    ) % {"n": n}


# What a person reads after each action succeeded: MESSAGES[name](result).
MESSAGES = {
    "submit": lambda r: _("Submitted for review: union staff will look at it."),
    "start_review": lambda r: _("Review started."),
    "return": lambda r: _("Returned to the enterprise with your reason."),
    "publish": lambda r: _("Published: matching studios are being found."),
    "merge": lambda r: _("Merged into problem #%(id)s.") % {"id": r.merged_into_id},
    "decide_match": lambda r: (
        _("Match confirmed.") if r.decision == "confirmed" else _("Match dismissed.")
    ),
    "invite": _invited,
    "propose": lambda r: _("Your proposal was sent to the enterprise."),
    "decline_invitation": lambda r: _(
        "Invitation declined: the enterprise is told your reason."
    ),
    "accept_proposal": lambda r: _(
        "Proposal accepted: the studio is notified and the work begins."
    ),
    "decline_proposal": lambda r: _("Proposal declined."),
    "record_outcome": lambda r: _("Outcome recorded: the enterprise confirms it next."),
    "confirm_outcome": lambda r: _("Outcome confirmed."),
    "verify_outcome": lambda r: _(
        "Outcome verified: the studio's achievement is on its page."
    ),
    "close": lambda r: _("Problem closed."),
}
