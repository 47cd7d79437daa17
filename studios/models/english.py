from django.db import models
from django.utils.translation import gettext_lazy as _


class EnglishTitle(models.Model):
    """A page's title in English, shown on /en/ when it is filled (the
    ``localized_title`` filter); the Chinese ``title`` stays the page's own."""

    title_en = models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English site; left empty, the title is shown."),
    )

    class Meta:
        abstract = True
