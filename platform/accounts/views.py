import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.hooks import (
    ACCOUNT_PAGE_CONTEXT,
    ACCOUNT_PAGE_PANELS,
    context_from,
    panels_from,
)

from . import services, two_factor
from .forms import ProfileClaimForm, RegistrationForm, RejectForm, TokenForm
from .models import Person, Role
from .people import is_staff, person_of


def staff_only(view):
    """Signed in (else to the sign-in page) and union staff (else 403)."""

    @login_required
    @functools.wraps(view)
    def staff_view(request, *args, **kwargs):
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_view


def _client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def _registration_allowed(request):
    """A few registrations per address and hour: each may send an email."""
    key = f"accounts:register:{_client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.REGISTRATION_RATE_PER_HOUR


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _registration_allowed(request):
            return render(
                request,
                "accounts/register.html",
                {"form": form, "throttled": True},
                status=429,
            )
        # The same answer whether or not the name or address was taken: the
        # owner of the address learns which by email, nobody else does.
        services.register(form=form)
        return redirect("accounts:register_sent")
    return render(
        request,
        "accounts/register.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def register_sent(request):
    return render(request, "accounts/register_sent.html")


def verify_email(request, uidb64, token):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.select_related("person").get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not services.verify_email(user=user, token=token):
        return render(request, "accounts/verify_failed.html", status=400)
    messages.success(
        request,
        _(
            "Your email address is confirmed. Union staff will now review "
            "your registration."
        ),
    )
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
@require_POST
def resend_verification(request):
    person = person_of(request.user)
    if person is not None and not person.email_verified:
        services.send_verification(person)
        messages.info(request, _("A new confirmation link is on its way."))
    return redirect("accounts:home")


def _home_page(request, status=200, **extra):
    person = person_of(request.user)
    notifications = request.user.notifications.all()[:20]
    return render(
        request,
        "accounts/home.html",
        {
            "person": person,
            "notifications": notifications,
            "staff": is_staff(request.user),
            "claimable": services.claimable_profiles(person),
            "panels": panels_from(ACCOUNT_PAGE_PANELS, request),
            **context_from(ACCOUNT_PAGE_CONTEXT, request),
            **extra,
        },
        status=status,
    )


@login_required
def home(request):
    return _home_page(request)


@login_required
@require_POST
def claim_profile(request):
    """A craftsman says which of their studio's public profiles is them."""
    person = person_of(request.user)
    form = ProfileClaimForm(request.POST)
    try:
        if person is None or person.role != Role.CRAFTSMAN or not person.approved:
            raise PermissionDenied(
                _("Only approved craftsmen of a studio can claim a public profile.")
            )
        if not form.is_valid():
            raise ValidationError(_("Choose your public profile from the list."))
        services.claim_profile(
            person=person, profile=form.cleaned_data["profile"], by=request.user
        )
    except ValidationError as bad:
        return _home_page(request, status=400, profile_error=bad.messages[0])
    except PermissionDenied as refused:
        return _home_page(request, status=403, profile_error=str(refused))
    except services.Conflict as conflict:
        return _home_page(request, status=409, profile_error=str(conflict))
    messages.success(request, _("Your public profile now shows your record."))
    return redirect(reverse("accounts:home") + "#profile")


def _claims():
    """Claims waiting for a decision, each with what approving would do: the
    enterprise (or studio) it joins and the people already approved there."""
    people = list(
        Person.objects.filter(approved_at__isnull=True, rejected_at__isnull=True)
        .exclude(role=Role.STAFF)
        .select_related("user", "claimed_studio", "claimed_studio__enterprise")
        .order_by("user__date_joined")
    )
    for p in people:
        p.joins = services.enterprise_for_claim(p)
        p.problem = services.claim_problem(p)
        if p.role == Role.ENTERPRISE and p.joins is not None:
            p.members = list(
                Person.objects.filter(
                    enterprise=p.joins, approved_at__isnull=False
                ).select_related("user")
            )
        elif p.role == Role.CRAFTSMAN and p.claimed_studio is not None:
            p.members = list(
                Person.objects.filter(
                    studio=p.claimed_studio, approved_at__isnull=False
                ).select_related("user")
            )
        else:
            p.members = []
    return people


def _pending_page(request, status=200, **context):
    return render(
        request,
        "accounts/pending.html",
        {"people": _claims(), "reject_form": RejectForm(), **context},
        status=status,
    )


@staff_only
def pending(request):
    return _pending_page(request)


@staff_only
@require_POST
def approve(request, pk):
    person = get_object_or_404(Person, pk=pk)
    try:
        services.approve(person=person, by=request.user)
    except services.Conflict as conflict:
        return _pending_page(request, status=409, error=str(conflict))
    messages.success(request, _("%(user)s is approved.") % {"user": person.user})
    return redirect("accounts:pending")


@staff_only
@require_POST
def reject(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _pending_page(
            request,
            status=400,
            error=_("Give the reason for rejecting: it is sent to the person."),
            failed=person.pk,
        )
    try:
        services.reject(
            person=person, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.Conflict as conflict:
        return _pending_page(request, status=409, error=str(conflict))
    messages.success(request, _("%(user)s is rejected.") % {"user": person.user})
    return redirect("accounts:pending")


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@never_cache
@staff_only
def two_factor_verify(request):
    """Enter a code of the authenticator app (or a recovery code)."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not two_factor.enrolled(request.user):
        setup = reverse("accounts:two_factor_setup")
        return redirect(f"{setup}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token",
            _(
                "This code is not valid (or was already used). Wait for the "
                "next code and try again."
            ),
        )
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@staff_only
def two_factor_setup(request):
    """First sign-in of a staff member: scan the secret, confirm a code, keep
    the recovery codes (shown this once)."""
    if two_factor.enrolled(request.user):
        return redirect("accounts:two_factor")
    device = two_factor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    form.fields["token"].help_text = _("The 6 digits your authenticator app shows.")
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error(
            "token",
            _("This code is not valid. Check the time on your phone and try again."),
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret(device),
            "next": _next(request),
        },
        status=400 if form.errors else 200,
    )
