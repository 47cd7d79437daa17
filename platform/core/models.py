from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BaseStreamBlock
from .hooks import HOME_PAGE_CONTEXT, context_from
from .snippets import District, Honour, IndustryChain

__all__ = [
    "BackgroundJob",
    "District",
    "Heartbeat",
    "HomePage",
    "Honour",
    "IndustryChain",
    "SubmissionKey",
]


class HomePage(Page):
    """The site root: what the alliance is, its figures and latest work."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name_plural = _("home pages")
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_from(HOME_PAGE_CONTEXT, request))
        return context


class SubmissionKey(models.Model):
    """A one-time key a form (or an API client's Idempotency-Key) sends with
    what it creates: sent again — a double click, a retry after a lost
    answer — it finds what the first sending made instead of making it twice.
    Saved in the same transaction as what it made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    scope = models.CharField(max_length=50, verbose_name=_("scope"))
    key = models.CharField(max_length=64, verbose_name=_("key"))
    result = models.CharField(max_length=64, blank=True, verbose_name=_("result"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="core_submission_key_once"
            )
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"


class BackgroundJob(models.Model):
    """One piece of background work, written in the same transaction as the
    change that causes it (a transactional outbox, see core.outbox): a broker
    that is down delays the work, never loses it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent to a worker")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    queue = models.CharField(_("queue"), max_length=40)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("times sent"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Waiting for a part that is down (the search engine): the relay sends
    # the job again from this time on (backoff), however long the outage.
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    # Union staff were told this job keeps failing (once per job).
    alerted_at = models.DateTimeField(_("staff alerted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background work")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "sent_at"])]

    def __str__(self):
        return f"#{self.pk} {self.task}{tuple(self.args)!r}"


class Heartbeat(models.Model):
    """When a scheduled beat last went through the broker and a worker: the
    health check's proof that workers and the scheduler are alive."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    at = models.DateTimeField(_("last beat"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
