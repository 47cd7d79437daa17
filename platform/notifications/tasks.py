"""Delivery of mail, by Celery, through the outbox (core.outbox): the job is
recorded with the write that caused it, so a broker down at the commit delays
a mail and never loses it.

Each mail is marked sent in the row it comes from (under the row's lock), so
a task that runs again — a retry, or a message delivered twice — never sends
it twice. A failure to reach the mail server is retried with a growing
delay."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from core import outbox

from .models import Email, Notification

log = logging.getLogger(__name__)

RETRY = {
    "base": outbox.OutboxTask,
    # SMTP errors, refused or dropped connections, timeouts (all OSError)
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


def absolute(url):
    """A link in a mail is read away from the site: it carries its address."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


@shared_task(name="notifications.send_notification_emails", **RETRY)
def send_notification_emails(notification_ids):
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None or not notification.user.email:
                continue  # sent already, or gone, or nowhere to send it
            # Nobody has chosen a language yet: mail speaks the site's.
            with translation.override(settings.LANGUAGE_CODE):
                text = notification.text
            body = f"{text}\n{absolute(notification.url)}".rstrip()
            subject = " ".join(text.split())[:150]  # one line: a header
            send_mail(subject, body, None, [notification.user.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(name="notifications.send_email", **RETRY)
def send_email_task(email_id):
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        send_mail(email.subject, email.body, None, [email.to])
        email.sent_at, email.body = timezone.now(), ""
        email.save(update_fields=["sent_at", "body"])
    return True
