"""The union staff group follows migrations and people's roles."""

from django.apps import apps
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import Person
from .staff import ensure_staff_group, sync_membership


@receiver(post_migrate)
def staff_group_after_migrate(app_config, using="default", **kwargs):
    """After the last app's post_migrate: every app's permissions exist then."""
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not last or using != "default":
        return
    ensure_staff_group()


@receiver(post_save, sender=Person)
def person_saved(sender, instance, **kwargs):
    sync_membership(instance)
