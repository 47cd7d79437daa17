"""Values in the Wagtail admin shown as words: a boolean reads 是/否, not
"True"/"False" (choices already read through get_FOO_display)."""

from django.utils.translation import gettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import InspectView


def yes_no(value):
    """是/否 (Django's and Wagtail's own "Yes"/"No"); nothing for None."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


class YesNoColumn(Column):
    """A listing column for a boolean field, in words."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class WordsInspectView(InspectView):
    """The inspect view, with booleans in words."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return yes_no(value)
        return value
