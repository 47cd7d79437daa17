"""The one door every joint-session notification goes through: in-app and by
email, through the platform's notifications (`notifications.services.notify`),
the message stored by key and rendered in each reader's language."""

from notifications.services import notify

from . import policies
from .notices import MESSAGES


def tell(*, session, recipients, key, params, url=""):
    """Tell ``recipients`` (users) the message ``key`` about ``session``
    filled with ``params`` — those of them who may see the session: a
    message names its title, time and place, so nobody who may not read its
    problems (a studio invited by mistake, a craftsman who signed up before
    a problem was made confidential) is told of it. Returns how many were
    told."""
    if key not in MESSAGES:
        raise ValueError(f"Unknown joint-session message {key!r}")
    recipients = [
        u for u in recipients if u is not None and policies.can_view(u, session)
    ]
    if recipients:
        notify(
            recipients=recipients,
            key=f"joint_session.{key}",
            params=params,
            url=url,
        )
    return len(recipients)
