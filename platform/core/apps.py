from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Every app's `signals` module (its receivers), `search` module (what
        # it puts in the search index) and `checks` module (system checks)
        # load at start-up, as admin modules do.
        autodiscover_modules("signals", "search", "checks")
