from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import RegistrationForm
from .models import Person
from .people import is_staff, person_of


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.register(form=form)
        login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.info(request, _("Registered. Union staff will approve your account."))
        return redirect("accounts:home")
    return render(
        request,
        "accounts/register.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def home(request):
    person = person_of(request.user)
    notifications = request.user.notifications.all()[:20]
    return render(
        request,
        "accounts/home.html",
        {
            "person": person,
            "notifications": notifications,
            "staff": is_staff(request.user),
        },
    )


@login_required
def pending(request):
    if not is_staff(request.user):
        raise PermissionDenied
    people = Person.objects.filter(approved_at__isnull=True).exclude(role="staff")
    return render(
        request,
        "accounts/pending.html",
        {"people": people.select_related("user", "enterprise", "studio")},
    )


@login_required
@require_POST
def approve(request, pk):
    if not is_staff(request.user):
        raise PermissionDenied
    services.approve(person=get_object_or_404(Person, pk=pk), by=request.user)
    return redirect("accounts:pending")
