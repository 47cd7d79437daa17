"""Any saved or deleted content invalidates the public page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import invalidate_public_pages

# The search app's own index rows are not content; its thesaurus is (it
# changes matching), so it is named by model.
CONTENT_APPS = {
    "core",
    "organisations",
    "studios",
    "problems",
    "joint_sessions",
    "wagtailcore",
    "wagtailimages",
    "taggit",
}
CONTENT_MODELS = {"search.thesaurusentry"}


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def invalidate_on_content_change(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in CONTENT_APPS or meta.label_lower in CONTENT_MODELS:
        invalidate_public_pages()
