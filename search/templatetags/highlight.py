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
    return mark_safe(prefix + _marked(snippet, terms) + suffix)  # noqa: S308


@register.filter
def mark_terms(text, terms):
    """All of ``text``, escaped, with every term in <mark>."""
    terms = sorted({t for t in terms or [] if t}, key=len, reverse=True)
    return mark_safe(_marked(str(text or ""), terms))  # noqa: S308 (escaped)


def _marked(text, terms):
    """Escaped ``text`` with ``terms`` (longest first) wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return "".join(parts)
