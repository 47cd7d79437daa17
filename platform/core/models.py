from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BaseStreamBlock
from .snippets import District, Honour, IndustryChain

__all__ = ["HomePage", "District", "Honour", "IndustryChain"]


class HomePage(Page):
    """The site root: what the alliance is, its figures and latest work."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from studios.selectors import showcase_summary

        context = super().get_context(request, *args, **kwargs)
        context.update(showcase_summary())
        return context
