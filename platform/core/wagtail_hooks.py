from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import outbox
from .models import BackgroundJob
from .snippets import District, Honour, IndustryChain


class BilingualNameViewSet(SnippetViewSet):
    """A reference list named in Chinese and English, searched in both."""

    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    search_backend_name = None


class IndustryChainViewSet(BilingualNameViewSet):
    model = IndustryChain
    icon = "site"


class DistrictViewSet(BilingualNameViewSet):
    model = District
    icon = "globe"


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


# --- Background work (core.outbox): staff see what waits or failed, and send
# a job again. ------------------------------------------------------------------


class RetryColumn(Column):
    cell_template_name = "core/background_job_retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is not None and instance.state != BackgroundJob.State.DONE:
            context["retry_url"] = reverse("background_job_retry", args=[instance.pk])
            context["csrf_token"] = get_token(request)
        return context


class BackgroundJobViewSet(ModelViewSet):
    model = BackgroundJob
    icon = "cogs"
    menu_label = _("Background work")
    menu_order = 900
    add_to_settings_menu = True
    list_display = [
        "id",
        "task",
        "args",
        "queue",
        "state",
        "attempts",
        "failures",
        "created_at",
        "retry_at",
        "finished_at",
        "last_error",
        RetryColumn("retry", label=_("Send again")),
    ]
    list_filter = ["state", "queue", "task"]
    search_fields = ["task", "last_error"]
    search_backend_name = None
    form_fields = ["state"]
    inspect_view_enabled = True
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_background_work():
    return BackgroundJobViewSet("background_work")


@require_POST
def retry_background_job(request, pk):
    if not request.user.has_perm("core.change_backgroundjob"):
        raise PermissionDenied
    job = get_object_or_404(BackgroundJob, pk=pk)
    outbox.retry(job=job)
    messages.success(request, _("Background job #%(id)s sent again.") % {"id": pk})
    return redirect(reverse("background_work:index") + "?state=failed")


@hooks.register("register_admin_urls")
def register_background_work_urls():
    return [
        path(
            "background-work/<int:pk>/retry/",
            retry_background_job,
            name="background_job_retry",
        )
    ]
