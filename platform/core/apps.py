from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Every app's `signals` module (its receivers) and `search` module (what
        # it puts in the search index) load at start-up, as admin modules do.
        autodiscover_modules("signals", "search")
