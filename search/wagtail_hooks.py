from django.db.models import Count
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_display import YesNoColumn
from core.models import BackgroundJob
from studios.models import Studio

from . import indexing
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


class BackgroundWorkPanel(Component):
    """On the admin dashboard: the background work waiting or failed, by
    queue, and how many studios still wait for their sentence vectors."""

    name = "background_work"
    order = 150
    template_name = "search/background_work_panel.html"

    def get_context_data(self, parent_context):
        jobs = BackgroundJob.objects.exclude(state=BackgroundJob.State.DONE)
        by_queue = {}
        for queue, state, count in (
            jobs.values_list("queue", "state").annotate(n=Count("pk")).order_by()
        ):
            by_queue.setdefault(queue, {})[state] = count
        live = Studio.objects.filter(live=True).count()
        return {
            "queues": sorted(by_queue.items()),
            "failed": jobs.filter(state=BackgroundJob.State.FAILED).count(),
            "studios": live,
            "without_vectors": indexing.pending_vectors() if live else 0,
            "index_url": reverse("background_work:index"),
        }


@hooks.register("construct_homepage_panels")
def add_background_work_panel(request, panels):
    if request.user.has_perm("core.view_backgroundjob"):
        panels.append(BackgroundWorkPanel())
