from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from core.blocks import BaseStreamBlock

from .english import EnglishTitle


class StoryIndexPage(EnglishTitle, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["studios.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name_plural = _("story indexes")
        verbose_name = _("story index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.live().child_of(self).order_by("-date", "-pk")
        context["stories"] = Paginator(stories, 10).get_page(request.GET.get("page"))
        return context


class StoryPage(EnglishTitle, Page):
    """A news story or session report, written like a newspaper article."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("lead"), max_length=400, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"))
    studios = ParentalManyToManyField(
        "studios.Studio",
        blank=True,
        related_name="stories",
        verbose_name=_("studios involved"),
    )
    alliance = models.ForeignKey(
        "studios.AlliancePage",
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("studios"),
        FieldPanel("alliance"),
    ]

    parent_page_types = ["studios.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
