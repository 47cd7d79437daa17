"""Notifications to people (on the site, and by email), and the outgoing mail
of the platform.

Both are written in the transaction of the change they tell about, so they
exist exactly when that change committed; the mail is sent afterwards by a
Celery task (notifications.tasks), never inside the request.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import messages

# Longer messages are shortened where they are shown (a title and a reason
# together can be long; the audit trail keeps the whole text).
MAX_LENGTH = 300


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # What is said: a registered message key and its parameters, rendered in
    # the reader's language (notifications.messages).
    key = models.CharField(max_length=100, blank=True, verbose_name=_("message"))
    params = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    # Notifications from before messages had keys: their text as it was stored.
    legacy_text = models.CharField(
        max_length=MAX_LENGTH, blank=True, verbose_name=_("text (before keys)")
    )
    url = models.CharField(max_length=300, blank=True, verbose_name=_("link"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Set when the email went out: a task run again never sends it twice.
    emailed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("emailed at")
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read_idx")
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The message in the active language, shortened to MAX_LENGTH."""
        text = messages.render(self.key, self.params) if self.key else self.legacy_text
        if len(text) > MAX_LENGTH:
            text = text[: MAX_LENGTH - 1] + "…"
        return text


class Email(models.Model):
    """One outgoing email (an outbox row): written with the change it tells
    about, sent by notifications.tasks.send_email once that committed. Its body
    is emptied once sent (it may hold a one-time link)."""

    to = models.EmailField(verbose_name=_("to"))
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")

    def __str__(self):
        return f"{self.to}: {self.subject}"
