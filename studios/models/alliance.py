from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from core.blocks import BaseStreamBlock
from core.hooks import ALLIANCE_PAGE_CONTEXT, context_from

from .english import EnglishTitle


class AllianceIndexPage(EnglishTitle, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["studios.AlliancePage"]
    max_count = 1

    class Meta:
        verbose_name_plural = _("alliance indexes")
        verbose_name = _("alliance index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["alliances"] = (
            AlliancePage.objects.live()
            .annotate(
                studio_count=Count(
                    "studios", filter=Q(studios__live=True), distinct=True
                ),
                enterprise_count=Count(
                    "studios__enterprise", filter=Q(studios__live=True), distinct=True
                ),
            )
            .order_by("title")
        )
        return context


class AlliancePage(EnglishTitle, Page):
    """A cross-enterprise studio alliance (创新工作室联盟)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    extra_enterprises = ParentalManyToManyField(
        "organisations.Enterprise",
        blank=True,
        related_name="+",
        verbose_name=_("member enterprises without a studio"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("founded_year"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("extra_enterprises"),
        InlinePanel("chairs", label=_("Rotating chair")),
    ]

    parent_page_types = ["studios.AllianceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        studios = list(
            self.studios.filter(live=True)
            .select_related("enterprise", "industry_chain")
            .order_by("industry_chain__name", "slug")
        )
        enterprises = {s.enterprise.pk: s.enterprise for s in studios}
        for enterprise in self.extra_enterprises.all():
            enterprises.setdefault(enterprise.pk, enterprise)
        chairs = list(self.chairs.select_related("enterprise").order_by("-start_year"))
        context.update(
            member_studios=studios,
            member_enterprises=sorted(enterprises.values(), key=lambda e: e.name),
            industry_chains=sorted({s.industry_chain.name for s in studios}),
            chairs=chairs,
            current_chair=chairs[0] if chairs else None,
            # the joint sessions timeline and figures (joint_sessions, through
            # the hook: studios imports nothing above it)
            sessions=[],
            stories=self.stories.live().order_by("-date")[:5],
        )
        context.update(context_from(ALLIANCE_PAGE_CONTEXT, request, self))
        return context


class AllianceChair(Orderable):
    """One term of the rotating chair; the latest term is the current chair."""

    alliance = ParentalKey(
        AlliancePage,
        on_delete=models.CASCADE,
        related_name="chairs",
        verbose_name=_("alliance"),
    )
    enterprise = models.ForeignKey(
        "organisations.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("until"), null=True, blank=True)

    panels = [
        FieldPanel("enterprise"),
        FieldPanel("start_year"),
        FieldPanel("end_year"),
    ]

    class Meta(Orderable.Meta):
        verbose_name_plural = _("chair terms")
        verbose_name = _("chair term")
