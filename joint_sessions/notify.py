"""The one door every joint-session notification goes through: in-app and by
email, through the platform's notifications (`notifications.services.notify`),
the message stored by key and rendered in each reader's language."""

from notifications.services import notify

from .notices import MESSAGES


def tell(*, recipients, key, params, url=""):
    """Tell ``recipients`` (users) the message ``key`` filled with ``params``."""
    if key not in MESSAGES:
        raise ValueError(f"Unknown joint-session message {key!r}")
    recipients = [u for u in recipients if u is not None]
    if recipients:
        notify(
            recipients=recipients,
            key=f"joint_session.{key}",
            params=params,
            url=url,
        )
