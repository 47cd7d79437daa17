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
from .people import enterprise_of, is_staff, person_of, studio_of


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
            **_work(request.user),
        },
    )


def _work(user):
    """What waits for this person: the enterprise's problems, the studio's
    invitations, the union's review queue."""
    from problems.models import Invitation, Problem, Status

    if is_staff(user):
        return {
            "to_review": Problem.objects.filter(
                status__in=[Status.SUBMITTED, Status.IN_REVIEW]
            )
            .select_related("enterprise")
            .order_by("created_at")[:50]
        }
    if enterprise := enterprise_of(user):
        return {
            "my_problems": Problem.objects.filter(enterprise=enterprise).order_by(
                "-updated_at"
            )[:50]
        }
    if studio := studio_of(user):
        return {
            "invitations": Invitation.objects.filter(
                studio=studio, problem__in=Problem.objects.visible_to(user)
            )
            .select_related("problem", "problem__enterprise")
            .order_by("-created_at")[:50]
        }
    return {}


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
