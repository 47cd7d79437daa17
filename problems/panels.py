"""Panels that apps above the board add to a problem's page.

The board imports no app above it; an app that has something to show on a
problem's page (joint sessions) registers a function here when it starts.
Each function takes the request and the problem the reader may see in full,
and returns HTML (already rendered and escaped) or an empty string.
"""

PANELS = []


def register(panel):
    PANELS.append(panel)
    return panel


def render_panels(request, problem):
    return [html for panel in PANELS if (html := panel(request, problem))]
