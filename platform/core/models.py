from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BaseStreamBlock
from .hooks import HOME_PAGE_CONTEXT, context_from
from .snippets import District, Honour, IndustryChain

__all__ = ["HomePage", "District", "Honour", "IndustryChain", "SubmissionKey"]


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
