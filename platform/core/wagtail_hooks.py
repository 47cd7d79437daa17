from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .snippets import District, Honour, IndustryChain


class IndustryChainViewSet(SnippetViewSet):
    model = IndustryChain
    icon = "site"
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    search_backend_name = None


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "globe"
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    search_backend_name = None


class HonourViewSet(SnippetViewSet):
    model = Honour
    icon = "pick"
    list_display = ["name", "awarded_by"]
    search_fields = ["name"]
    search_backend_name = None


class ReferenceListsGroup(SnippetViewSetGroup):
    menu_label = _("Reference lists")
    menu_icon = "list-ul"
    items = (IndustryChainViewSet, DistrictViewSet, HonourViewSet)


register_snippet(ReferenceListsGroup)


@hooks.register("construct_help_menu")
def keep_help_on_our_host(request, menu_items):
    """Wagtail's help menu links to guide.wagtail.org ("What's new", "Editor
    Guide"): the admin links to no other host, so only the shortcuts stay."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new")
    ]
