"""The words of notifications, by key.

A notification stores a message key and its parameters, never the sentence:
the sentence is rendered when it is read, in the reader's language. Each app
registers its messages once, with a lazily translated template::

    messages.register("problem.invited", _("Your studio was invited to %(title)s"))

A key nobody registered (an app removed, a message renamed) still reads: as
its parameters, so a stored notification never becomes an error.
"""

from django.utils import translation
from django.utils.functional import Promise

_TEMPLATES: dict[str, Promise | str] = {}


def register(key: str, template: Promise | str) -> str:
    """Register ``template`` (a gettext_lazy string) under ``key``; returns the
    key, so a module may keep it as a constant."""
    known = _TEMPLATES.get(key)
    if known is not None and str(known) != str(template):
        raise ValueError(f"Notification message {key!r} is registered twice.")
    _TEMPLATES[key] = template
    return key


def is_registered(key: str) -> bool:
    return key in _TEMPLATES


def render(key: str, params: dict | None = None) -> str:
    """The message in the active language."""
    params = params or {}
    template = _TEMPLATES.get(key)
    if template is None:
        return " · ".join(str(v) for v in params.values()) or key
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        # A translation that names a parameter this notification lacks: the
        # untranslated template has the right names.
        with translation.override(None):
            try:
                return str(template) % params
            except (KeyError, TypeError, ValueError):
                return " · ".join(str(v) for v in params.values()) or key
