from wagtail import hooks

from core.hooks import PROBLEM_PAGE_PANELS

from .panels import sessions_panel

hooks.register(PROBLEM_PAGE_PANELS, sessions_panel)
