from django.utils.translation import gettext_lazy as _
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
