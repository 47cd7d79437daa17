"""Reference names in the visitor's language: on /en/ a chain, district,
honour, enterprise or studio reads its English name when one is recorded, and
a page or an achievement its English title."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized_name(obj):
    """``obj.name_en`` when the active language is English and it is set,
    else ``obj.name`` (or the same keys of a dict); empty for None."""
    if obj is None:
        return ""
    if isinstance(obj, dict):  # a facet option: {"name": …, "name_en": …}
        english, chinese = obj.get("name_en"), obj.get("name", "")
    else:
        english, chinese = getattr(obj, "name_en", ""), obj.name
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


@register.filter
def localized_title(obj):
    """``obj.title_en`` when the active language is English and it is set,
    else ``obj.title`` (pages, achievements); empty for None or for an
    object without a title (a paginator's page, say)."""
    english = getattr(obj, "title_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return getattr(obj, "title", "")
