"""What joint sessions tell people: their notification messages, registered
with the platform's notifications (rendered in the reader's language when
read). Loaded at start-up by the notifications app."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import register

MESSAGES = {
    "signed_up": _("You have a seat at “%(session)s” (%(skill)s), %(when)s."),
    "waitlisted": _(
        "“%(session)s” is full for %(skill)s: you are number %(position)s "
        "on the waiting list."
    ),
    "cancelled": _("Your registration for “%(session)s” is cancelled."),
    "offered": _(
        "A seat at “%(session)s” (%(skill)s) is free for you: confirm it "
        "by %(until)s, or it goes to the next person."
    ),
    "offer_expired": _(
        "Your offered seat at “%(session)s” was not confirmed in time and has "
        "gone to the next person."
    ),
    "confirmed": _("Your seat at “%(session)s” is confirmed."),
    "rescheduled": _(
        "“%(session)s” has moved: %(was_when)s, %(was_where)s → %(when)s, %(where)s."
    ),
    "session_cancelled": _("“%(session)s” is cancelled: %(reason)s"),
    "invited": _("Your studio is invited to the joint session “%(session)s”."),
    "invited_person": _(
        "You are invited to “%(session)s” for %(skill)s, %(when)s, %(where)s: "
        "open it to take a seat."
    ),
    "reminder_24h": _("Tomorrow: “%(session)s”, %(when)s, %(where)s."),
    "reminder_2h": _("In two hours: “%(session)s”, %(when)s, %(where)s."),
    "report_due": _("“%(session)s” was held: please publish its report."),
    "report_published": _("The report of “%(session)s” is published."),
}

for _key, _template in MESSAGES.items():
    register(f"joint_session.{_key}", _template)
