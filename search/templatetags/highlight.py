import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, terms, width=120):
    """An escaped snippet of ``text`` around the first term, terms in <mark>."""
    text = str(text or "")
    terms = sorted({t for t in terms or [] if t}, key=len, reverse=True)
    lowered = text.lower()
    first = min(
        (lowered.find(t.lower()) for t in terms if t.lower() in lowered), default=0
    )
    start = max(0, first - width // 3)
    snippet = text[start : start + width]
    prefix, suffix = ("…" if start else ""), ("…" if start + width < len(text) else "")
    if not terms:
        return prefix + escape(snippet) + suffix
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(snippet):
        parts.append(escape(snippet[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(snippet[last:]))
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 (escaped above)
