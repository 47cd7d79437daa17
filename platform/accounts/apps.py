from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .models import Person

        post_migrate.connect(_ensure_staff_group)
        post_save.connect(_person_saved, sender=Person)


def _ensure_staff_group(app_config, using="default", **kwargs):
    """After the last app's post_migrate: every app's permissions exist then."""
    from django.apps import apps

    # post_migrate is sent once per app that has models, in INSTALLED_APPS order
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not last or using != "default":
        return
    from .staff import ensure_staff_group

    ensure_staff_group()


def _person_saved(sender, instance, **kwargs):
    from .staff import sync_membership

    sync_membership(instance)
