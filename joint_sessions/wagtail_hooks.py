from wagtail import hooks

from core.hooks import ACCOUNT_PAGE_PANELS, PROBLEM_PAGE_PANELS

from .feeds import account_panel
from .panels import sessions_panel

hooks.register(PROBLEM_PAGE_PANELS, sessions_panel)
hooks.register(ACCOUNT_PAGE_PANELS, account_panel)
