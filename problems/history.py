"""The audit trail read as sentences: who did what, with names, in the
reader's language — never an action's code or a studio's id.

Events store compact notes (a studio's id for match decisions, studios'
slugs for invitations, a decline reason's code); the names are looked up
here, in one query per kind for the whole trail."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from studios.models import Studio

from .models import Proposal, Status

MATCH_NOTE = re.compile(r"^(\d+): ?(.*)$", re.S)
NUMBER = re.compile(r"#\d+")

SENTENCES = {
    "submit": lambda: _("%(actor)s submitted the problem for review"),
    "start_review": lambda: _("%(actor)s started the review"),
    "return": lambda: _("%(actor)s returned the problem to the enterprise"),
    "publish": lambda: _("%(actor)s published the problem"),
    "merge": lambda: _("%(actor)s merged this problem into problem %(number)s"),
    "merged_from": lambda: _("%(actor)s merged problem %(number)s into this one"),
    "record_matches": lambda: _("The matching found studios for the problem"),
    "match_confirmed": lambda: _("%(actor)s confirmed the match with %(studio)s"),
    "match_dismissed": lambda: _("%(actor)s dismissed the match with %(studio)s"),
    "invite": lambda: _("%(actor)s invited %(studios)s"),
    "propose": lambda: _("%(actor)s sent a proposal"),
    "decline_invitation": lambda: _("%(actor)s declined the invitation"),
    "hold_session": lambda: _("%(actor)s recorded a joint session"),
    "accept_proposal": lambda: _("%(actor)s accepted a proposal"),
    "decline_proposal": lambda: _("%(actor)s declined a proposal"),
    "record_outcome": lambda: _("%(actor)s recorded the outcome"),
    "confirm_outcome": lambda: _("%(actor)s confirmed the outcome"),
    "verify_outcome": lambda: _("%(actor)s verified the outcome"),
    "close": lambda: _("%(actor)s closed the problem"),
}


@dataclass
class Line:
    at: object
    sentence: str
    note: str


def _name(user):
    if user is None:
        return _("The platform")
    return user.get_full_name() or user.get_username()


def lines(events):
    """The events as ``Line``s, oldest first."""
    events = list(events)
    ids, slugs = set(), set()
    for e in events:
        if e.action.startswith("match_") and (m := MATCH_NOTE.match(e.note)):
            ids.add(int(m.group(1)))
        elif e.action == "invite":
            slugs |= {s.strip() for s in e.note.split(",") if s.strip()}
    by_id = dict(Studio.objects.filter(pk__in=ids).values_list("pk", "name"))
    by_slug = dict(Studio.objects.filter(slug__in=slugs).values_list("slug", "name"))
    reasons = dict(Proposal.DeclineReason.choices)
    statuses = dict(Status.choices)
    out = []
    for e in events:
        words = {
            "actor": _name(e.actor),
            "studio": _("a studio"),
            "studios": "",
            "number": "",
        }
        note = e.note
        if e.action.startswith("match_") and (m := MATCH_NOTE.match(note)):
            words["studio"] = by_id.get(int(m.group(1)), _("a studio"))
            note = m.group(2)
        elif e.action == "invite":
            names = [by_slug.get(s.strip()) for s in note.split(",") if s.strip()]
            words["studios"] = "、".join(n for n in names if n) or _("studios")
            note = ""
        elif e.action == "decline_proposal" and ":" in note:
            code, __, rest = note.partition(":")
            reason = reasons.get(code.strip(), "")
            note = " · ".join(p for p in (str(reason), rest.strip()) if p)
        elif e.action in ("merge", "merged_from") and (n := NUMBER.search(note)):
            words["number"], note = n.group(0), ""
        elif e.action == "verify_outcome" and e.to_status in statuses:
            note = str(statuses[e.to_status])
        template = SENTENCES.get(e.action)
        sentence = template() % words if template else _("%(actor)s acted") % words
        out.append(Line(e.created_at, sentence, note.strip()))
    return out
