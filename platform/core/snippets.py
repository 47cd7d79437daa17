"""Reference lists union staff edit as Wagtail snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["IndustryChain", "District", "Honour"]


class NamedSnippet(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndustryChain(NamedSnippet):
    description = models.TextField(_("description"), blank=True)

    class Meta(NamedSnippet.Meta):
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")


class District(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Honour(NamedSnippet):
    """An honour a studio holds, e.g. 全国示范性劳模和工匠人才创新工作室."""

    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    class Meta(NamedSnippet.Meta):
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
