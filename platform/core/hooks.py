"""Pages of a low app that show what higher apps know are composed from the
top: each higher app registers a context function under one of these Wagtail
hook names in its `wagtail_hooks.py`, and the page merges what they return.
So the home page (core) shows the studios' figures and the account page
(accounts) a person's problems without importing studios or problems."""

from wagtail import hooks

# fn(request) -> dict: figures and latest work for the home page
HOME_PAGE_CONTEXT = "jianglian_home_page_context"
# fn(request) -> dict: what waits for the signed-in person on the account page
ACCOUNT_PAGE_CONTEXT = "jianglian_account_page_context"
# fn(request) -> str: HTML (rendered, escaped) of a box on the account page
# of the signed-in person; "" for none
ACCOUNT_PAGE_PANELS = "jianglian_account_page_panels"
# fn(request, problem) -> str: HTML (rendered, escaped) of a panel on a
# problem's page, for a reader who may see the problem whole; "" for none
PROBLEM_PAGE_PANELS = "jianglian_problem_page_panels"
# fn(request, alliance) -> dict: what an alliance's page shows of higher apps
# (its joint sessions timeline and figures)
ALLIANCE_PAGE_CONTEXT = "jianglian_alliance_page_context"
# fn(request, studio) -> str: HTML (rendered, escaped) of a panel on a
# studio's page; "" for none
STUDIO_PAGE_PANELS = "jianglian_studio_page_panels"
# fn(request, craftsman) -> str: HTML (rendered, escaped) of a panel on a
# public craftsman profile's page (studios.Craftsman); "" for none. The page
# is cached whole for anonymous readers, so a panel must show every anonymous
# reader the same (signed-in readers are never served from the cache).
CRAFTSMAN_PAGE_PANELS = "jianglian_craftsman_page_panels"
# fn() -> queryset of page ids: live, public Wagtail pages of a higher app
# that an anonymous reader may not see all the same (their page answers 404:
# a report of a session on a confidential problem); kept out of the sitemap
PAGES_HIDDEN_FROM_PUBLIC = "jianglian_pages_hidden_from_public"
# fn(directory, log) -> None: demo content of a higher app, loaded by
# `manage.py load_demo` after the problems' workflow (idempotent)
DEMO_LOADERS = "jianglian_demo_loaders"


def context_from(hook_name, request, *args):
    """The merged context every function registered under ``hook_name`` gives."""
    context = {}
    for contribute in hooks.get_hooks(hook_name):
        context.update(contribute(request, *args))
    return context


def panels_from(hook_name, *args):
    """The HTML panels every function registered under ``hook_name`` renders
    (empty ones left out)."""
    return [html for render in hooks.get_hooks(hook_name) if (html := render(*args))]
