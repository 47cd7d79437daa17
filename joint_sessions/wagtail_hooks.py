from wagtail import hooks

from core.hooks import (
    ACCOUNT_PAGE_PANELS,
    ALLIANCE_PAGE_CONTEXT,
    CRAFTSMAN_PAGE_PANELS,
    DEMO_LOADERS,
    HOME_PAGE_CONTEXT,
    PAGES_HIDDEN_FROM_PUBLIC,
    PROBLEM_PAGE_PANELS,
    STUDIO_PAGE_PANELS,
)

from .demo import load_demo_session
from .feeds import account_panel
from .pages import reports_hidden_from_public
from .panels import sessions_panel
from .showcase import (
    alliance_timeline,
    craftsman_record,
    home_page_figures,
    recognition,
    studio_reports,
)

hooks.register(PROBLEM_PAGE_PANELS, sessions_panel)
hooks.register(ACCOUNT_PAGE_PANELS, recognition)
hooks.register(ACCOUNT_PAGE_PANELS, account_panel)
hooks.register(HOME_PAGE_CONTEXT, home_page_figures)
hooks.register(ALLIANCE_PAGE_CONTEXT, alliance_timeline)
hooks.register(STUDIO_PAGE_PANELS, studio_reports)
hooks.register(CRAFTSMAN_PAGE_PANELS, craftsman_record)
hooks.register(DEMO_LOADERS, load_demo_session)
hooks.register(PAGES_HIDDEN_FROM_PUBLIC, reports_hidden_from_public)
