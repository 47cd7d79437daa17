from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Enterprise

from .models import Person, Role
from .people import is_staff


@transaction.atomic
def register(*, form):
    user = form.save()
    data = form.cleaned_data
    enterprise = None
    if data["role"] == Role.ENTERPRISE:
        enterprise, _created = Enterprise.objects.get_or_create(
            name=data["enterprise_name"].strip()
        )
    return Person.objects.create(
        user=user,
        role=data["role"],
        enterprise=enterprise,
        studio=data["studio"] if data["role"] == Role.CRAFTSMAN else None,
    )


def approve(*, person, by):
    if not is_staff(by):
        raise PermissionDenied(_("Only union staff approve registrations."))
    if person.approved_at is None:
        person.approved_at, person.approved_by = timezone.now(), by
        person.save(update_fields=["approved_at", "approved_by"])
    return person
