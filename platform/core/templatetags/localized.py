"""Reference names in the visitor's language: on /en/ a chain, district,
honour or enterprise reads its English name when one is recorded."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized_name(obj):
    """``obj.name_en`` when the active language is English and it is set,
    else ``obj.name``; empty for None."""
    if obj is None:
        return ""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name
