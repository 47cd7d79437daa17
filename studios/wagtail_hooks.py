from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.hooks import HOME_PAGE_CONTEXT

from .models import Craftsman, Studio
from .selectors import showcase_summary


@hooks.register(HOME_PAGE_CONTEXT)
def home_page_figures(request):
    return showcase_summary()


class StudioViewSet(SnippetViewSet):
    model = Studio
    icon = "group"
    list_display = [
        "name",
        "enterprise",
        "industry_chain",
        "level",
        LiveStatusTagColumn(),
    ]
    list_filter = ["industry_chain", "district", "level", "live"]
    search_fields = ["name", "slug", "expertise"]
    search_backend_name = None
    ordering = ["slug"]


class CraftsmanViewSet(SnippetViewSet):
    model = Craftsman
    icon = "user"
    list_display = ["name", "titles"]
    search_fields = ["name", "titles", "skills"]
    search_backend_name = None


class ShowcaseGroup(SnippetViewSetGroup):
    menu_label = _("Studios")
    menu_icon = "group"
    menu_order = 200
    items = (StudioViewSet, CraftsmanViewSet)


register_snippet(ShowcaseGroup)
