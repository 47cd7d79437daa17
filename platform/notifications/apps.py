from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Every app's `notices` module registers the messages it sends, so a
        # stored notification reads in any process, even one that never sent.
        autodiscover_modules("notices")
