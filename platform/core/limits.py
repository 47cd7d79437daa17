"""Bounds for what arrives from outside, shared by every form and API.

Ids are bigint primary keys: anything beyond a signed 64-bit integer cannot
name a row (and SQLite refuses it with OverflowError), so forms refuse it
with a message instead. Page numbers stay in a sane range."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

MAX_ID = 2**63 - 1
MAX_PAGE = 10_000


class IdField(forms.IntegerField):
    """The id of a row, as a filter: 1 … 2**63 - 1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class PageField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_PAGE)
        kwargs.setdefault("label", pgettext_lazy("page number", "Page"))
        super().__init__(**kwargs)


def parse_id(value, label):
    """A strictly written id (ASCII digits, no sign, no decimals, at most
    MAX_ID) as an int; anything else is a ValidationError naming ``label``."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        text = ""
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        raise ValidationError(
            _("%(field)s: give a whole number.") % {"field": label}, code="invalid"
        )
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValidationError(
            _("%(field)s: no such number.") % {"field": label}, code="invalid"
        )
    return number


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """Choices of rows by id, where an id no bigint can hold is refused as an
    invalid choice (Django passes it to ``pk__in``, and SQLite overflows)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)
