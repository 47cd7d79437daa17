"""JSON bodies, refused with a 400 when they are too deep to be a real request."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 10  # no request body of this API is deeper than 3


def _depth(value):
    """The nesting depth of parsed JSON, walked without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's parser, plus: deeply nested JSON (which makes the decoder hit
    Python's recursion limit) is a ParseError, not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
        if _depth(data) > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply."))
        return data
