"""Problems in the Wagtail admin, for union staff: find, read and correct.

Every step of the lifecycle (publish, invite, verify…) stays on the problem
board, where each is a service with its checks and audit trail: the admin
neither creates problems nor changes their status.
"""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.admin_display import WordsInspectView
from core.hooks import ACCOUNT_PAGE_CONTEXT

from .models import TEXT_FIELDS, Outcome, Problem, Proposal
from .selectors import waiting_work


@hooks.register(ACCOUNT_PAGE_CONTEXT)
def account_work(request):
    return waiting_work(request.user)


class NoAddPolicy(ModelPermissionPolicy):
    """Records are born on the board (forms with their checks), never here."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


class BoardLink(Column):
    def __init__(self):
        super().__init__("board", label=_("On the board"))

    def get_value(self, instance):
        problem = getattr(instance, "problem", instance)
        return format_html('<a href="{}">{}</a>', problem.get_absolute_url(), _("Open"))


class BoardViewSet(ModelViewSet):
    """Found with the database's own search, read in full, never copied."""

    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    copy_view_enabled = False


class ProblemViewSet(BoardViewSet):
    model = Problem
    icon = "help"
    list_display = [
        "title",
        "enterprise",
        "status",
        "confidentiality",
        "created_at",
        BoardLink(),
    ]
    list_filter = ["status", "confidentiality", "industry_chain", "onsite_visit"]
    search_fields = ["title", "description", "enterprise__name"]
    # Panels, not form_fields: Wagtail's cluster-aware form saves the tags.
    panels = [
        FieldPanel(name)
        for name in (
            *TEXT_FIELDS,
            "industry_chain",
            "tags",
            "deadline",
            "onsite_visit",
            "confidentiality",
            "alliances",
            "public_summary",
        )
    ]


class ProposalViewSet(BoardViewSet):
    model = Proposal
    icon = "doc-full"
    list_display = [
        "problem",
        "studio",
        "state",
        "respond_by",
        "created_at",
        BoardLink(),
    ]
    list_filter = ["state", "decline_reason"]
    search_fields = ["text", "problem__title", "studio__name"]
    form_fields = ["text", "estimated_cost_wan_yuan", "estimated_days", "respond_by"]


class OutcomeViewSet(BoardViewSet):
    model = Outcome
    icon = "tick-inverse"
    list_display = [
        "problem",
        "studio",
        "result",
        "actual_benefit_wan_yuan",
        "patents",
        "five_smalls",
        "verified_at",
        BoardLink(),
    ]
    list_filter = ["result"]
    search_fields = ["problem__title", "studio__name", "solution"]
    form_fields = [
        "solution",
        "projected_benefit_wan_yuan",
        "actual_benefit_wan_yuan",
        "patents",
        "five_smalls",
    ]


class ProblemBoardGroup(ModelViewSetGroup):
    menu_label = _("Problem board")
    menu_icon = "help"
    menu_order = 250
    items = (ProblemViewSet, ProposalViewSet, OutcomeViewSet)


for _model in (Problem, Proposal, Outcome):
    register_permission_policy(_model, NoAddPolicy(_model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_problem_board():
    return ProblemBoardGroup()
