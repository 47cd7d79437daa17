from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_display import YesNoColumn

from .models import ThesaurusEntry


class ThesaurusViewSet(SnippetViewSet):
    model = ThesaurusEntry
    icon = "list-ul"
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "note",
        YesNoColumn(
            "enabled", label=ThesaurusEntry._meta.get_field("enabled").verbose_name
        ),
    ]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]
    search_backend_name = None


register_snippet(ThesaurusViewSet)
