"""Any saved or deleted content invalidates the public page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import invalidate_public_pages

CONTENT_APPS = {
    "core",
    "organisations",
    "studios",
    "problems",
    "search",
    "wagtailcore",
    "wagtailimages",
    "taggit",
}


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def invalidate_on_content_change(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        invalidate_public_pages()
