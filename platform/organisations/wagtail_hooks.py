from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Enterprise


class EnterpriseViewSet(SnippetViewSet):
    model = Enterprise
    icon = "group"
    list_display = ["name", "credit_code", "district", "website"]
    search_fields = ["name", "name_en", "credit_code"]
    search_backend_name = None


register_snippet(EnterpriseViewSet)
