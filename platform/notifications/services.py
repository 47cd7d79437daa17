"""Telling people: ``notify`` (on the site, and by email) and ``send_email``
(the platform's other mail). Both only write rows in the caller's transaction
and enqueue the mail for once it commits: nothing is sent inside a request."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core import outbox

from . import messages
from .models import Email, Notification
from .tasks import send_email_task, send_notification_emails

# The jobs that deliver mail: when one keeps failing, mailing about it would
# go through the same server and fail in turn.
MAIL_TASKS = frozenset({send_email_task.name, send_notification_emails.name})


@transaction.atomic
def notify(
    *,
    recipients: Iterable[AbstractBaseUser],
    key: str,
    params: dict | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """One notification per recipient saying the registered message ``key``
    with ``params`` (plain JSON values); emailed too unless ``email=False``.
    ``url`` is a path on this site (the mail makes it absolute)."""
    if not messages.is_registered(key):
        raise ValueError(f"Unknown notification message {key!r}: register it first.")
    params = {k: _plain(v) for k, v in (params or {}).items()}
    users = list({u.pk: u for u in recipients}.values())
    created = Notification.objects.bulk_create(
        [Notification(user=u, key=key, params=params, url=url) for u in users]
    )
    ids = [n.pk for n, u in zip(created, users, strict=True) if u.email]
    if email and ids:
        outbox.enqueue(send_notification_emails, ids)
    return created


def _plain(value):
    """A parameter as JSON stores it (dates and lazy strings as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@transaction.atomic
def send_email(*, to: str, subject: str, body: str) -> Email:
    """Queue one email: its job is recorded in the current transaction
    (core.outbox) and a worker sends it once that commits."""
    message = Email.objects.create(to=to, subject=subject[:300], body=body)
    outbox.enqueue(send_email_task, message.pk)
    return message


@transaction.atomic
def mark_read(*, user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications (or only ``ids`` of them) read;
    returns how many."""
    unread = Notification.objects.filter(user=user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
