"""Validators for numbers and dates people type about a problem."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def latest_date():
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


@deconstructible
class SaneDate:
    """From 2000-01-01 to ten years from today: a year-1 or year-9999 date is
    a typing slip (or a probe), never a real deadline or session."""

    def __call__(self, value):
        if value is None:
            return
        if not EARLIEST_DATE <= value <= latest_date():
            raise ValidationError(
                _("Give a date between %(first)s and %(last)s.")
                % {
                    "first": EARLIEST_DATE.isoformat(),
                    "last": latest_date().isoformat(),
                },
                code="date_range",
            )

    def __eq__(self, other):
        return isinstance(other, SaneDate)


def not_in_the_past(value):
    """A new problem's deadline: today or later."""
    if value is not None and value < timezone.localdate():
        raise ValidationError(
            _("A new problem's deadline cannot be in the past."), code="past"
        )
