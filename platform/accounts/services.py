"""Registration, email verification and the staff's decision on a claim.

Registration never attaches anyone to an existing enterprise or studio and
never creates an enterprise: it records a claim. Union staff approve the claim
(which attaches the person to the enterprise with that credit code, else with
that exact name, else creates it) or reject it with a reason. Both outcomes
are emailed. A claim can be approved only once its email is verified.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.cache import invalidate_public_pages
from notifications.services import send_email
from organisations.credit_code import normalise
from organisations.models import Enterprise
from studios.models import Craftsman

from .models import Person, Role
from .people import is_staff


class Conflict(Exception):
    """The claim was decided meanwhile, or cannot be carried out as it stands."""


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A link that works until the address is verified (then never again),
    for PASSWORD_RESET_TIMEOUT at most."""

    key_salt = "accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        person = getattr(user, "person", None)
        verified = person.email_verified_at if person else None
        return f"{user.pk}{user.email}{verified}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def site_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _mail(to, subject, template, context):
    """Queue the mail: a Celery task sends it once this transaction commits."""
    body = render_to_string(template, {"site": site_url(""), **context})
    send_email(to=to, subject=str(subject), body=body)


def register(*, form):
    """Create the account and its claim, or — when the username or address is
    taken — create nothing and tell the owner of the address by email. The
    caller answers the same in every case, so nobody learns which names or
    addresses exist. Returns the person, or None when nothing was created."""
    data = form.cleaned_data
    email, username = data["email"].strip(), data["username"]
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    taken = existing is not None or (
        User.objects.filter(username__iexact=username).exists()
    )
    if taken:
        # Hash the password anyway: a quick answer would tell that the name or
        # address exists.
        make_password(data["password1"])
    if existing is not None:
        _mail(
            existing.email,
            _("Someone tried to register with your address"),
            "accounts/email/already_registered.txt",
            {"user": existing},
        )
        return None
    if taken:
        _mail(
            email,
            _("Choose another username"),
            "accounts/email/username_taken.txt",
            {"username": username},
        )
        return None
    try:
        with transaction.atomic():
            user = form.save()
            role = data["role"]
            person = Person.objects.create(
                user=user,
                role=role,
                claimed_enterprise_name=(
                    data["enterprise_name"].strip() if role == Role.ENTERPRISE else ""
                ),
                claimed_credit_code=(
                    normalise(data["credit_code"]) if role == Role.ENTERPRISE else ""
                ),
                claimed_studio=data["studio"] if role == Role.CRAFTSMAN else None,
            )
            send_verification(person)
    except IntegrityError:
        # Lost a race with a registration of the same name or address.
        return None
    return person


def send_verification(person):
    user = person.user
    path = reverse(
        "accounts:verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    _mail(
        user.email,
        _("Confirm your email address"),
        "accounts/email/verify.txt",
        {"user": user, "link": site_url(path)},
    )


def verify_email(*, user, token):
    person = getattr(user, "person", None)
    if person is None or not email_verification_token.check_token(user, token):
        return False  # wrong, used or older than PASSWORD_RESET_TIMEOUT (3 days)
    person.email_verified_at = timezone.now()
    person.save(update_fields=["email_verified_at"])
    return True


def enterprise_for_claim(person):
    """The existing enterprise this claim would join: the one with the claimed
    credit code, else the one with exactly the claimed name (None: approval
    creates it)."""
    if person.role != Role.ENTERPRISE:
        return None
    if person.enterprise_id is not None:  # set by staff in the admin
        return person.enterprise
    code = person.claimed_credit_code
    if code:
        found = Enterprise.objects.filter(credit_code=code).first()
        if found:
            return found
    return Enterprise.objects.filter(name=person.claimed_enterprise_name).first()


def claim_problem(person):
    """Why this claim cannot be approved as it stands, or ''."""
    if not person.email_verified:
        return _("The email address is not verified yet.")
    if person.role == Role.ENTERPRISE and person.enterprise_id is None:
        if not person.claimed_enterprise_name:
            return _("No enterprise is claimed.")
        found = enterprise_for_claim(person)
        if (
            found is not None
            and found.credit_code
            and found.credit_code != person.claimed_credit_code
        ):
            return _(
                "An enterprise with this name is registered with another credit "
                "code (%(code)s): check the claim before approving."
            ) % {"code": found.credit_code}
    if (
        person.role == Role.CRAFTSMAN
        and person.studio_id is None
        and person.claimed_studio_id is None
    ):
        return _("The claimed studio no longer exists.")
    return ""


def _decide(person_pk, by):
    if not is_staff(by):
        raise PermissionDenied(_("Only union staff decide on registrations."))
    person = Person.objects.select_for_update().select_related("user").get(pk=person_pk)
    if person.approved_at is not None or person.rejected_at is not None:
        raise Conflict(_("This registration was already decided."))
    return person


@transaction.atomic
def approve(*, person, by):
    person = _decide(person.pk, by)
    if problem := claim_problem(person):
        raise Conflict(problem)
    if person.role == Role.ENTERPRISE and person.enterprise_id is None:
        enterprise = enterprise_for_claim(person)
        if enterprise is None:
            try:
                with transaction.atomic():
                    enterprise = Enterprise.objects.create(
                        name=person.claimed_enterprise_name,
                        credit_code=person.claimed_credit_code or None,
                    )
            except IntegrityError as lost_race:  # made meanwhile by another approval
                raise Conflict(
                    _("The enterprise was just created: look at the claim again.")
                ) from lost_race
        elif not enterprise.credit_code and person.claimed_credit_code:
            enterprise.credit_code = person.claimed_credit_code
            enterprise.save(update_fields=["credit_code"])
        person.enterprise = enterprise
    elif person.role == Role.CRAFTSMAN and person.studio_id is None:
        person.studio = person.claimed_studio
    person.approved_at, person.approved_by = timezone.now(), by
    person.save()
    _mail(
        person.user.email,
        _("Your Jianglian account is approved"),
        "accounts/email/approved.txt",
        {"person": person},
    )
    return person


@transaction.atomic
def reject(*, person, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Give the reason for rejecting: it is sent to the person."))
    person = _decide(person.pk, by)
    person.rejected_at, person.rejection_reason = timezone.now(), reason
    person.approved_by = by
    person.save(update_fields=["rejected_at", "rejection_reason", "approved_by"])
    _mail(
        person.user.email,
        _("Your Jianglian registration was not approved"),
        "accounts/email/rejected.txt",
        {"person": person},
    )
    return person


def hold_profile(*, person: Person, profile: Craftsman, judged: Person | None = None):
    """Lock ``profile``, then ``person``; then check that ``judged`` (the
    person as it is about to be saved; by default the locked row) may hold
    the profile (PermissionDenied) and that nobody else holds it (Conflict:
    claimed meanwhile). Called inside the transaction that then links them:
    the claim below, and the admin's save of a person (edited, or being
    created: then there is no row to lock). Returns the locked person, or
    None for a person not saved yet."""
    if not Craftsman.objects.select_for_update().filter(pk=profile.pk).exists():
        raise Conflict(_("This public profile no longer exists."))
    # a person the admin is creating has no row to lock yet
    locked = Person.objects.select_for_update().get(pk=person.pk) if person.pk else None
    if problem := (judged or locked or person).profile_problem(profile):
        raise PermissionDenied(problem)
    if Person.objects.filter(profile=profile).exclude(pk=person.pk).exists():
        raise Conflict(_("Another account has already claimed this public profile."))
    return locked


@transaction.atomic
def claim_profile(*, person: Person, profile: Craftsman, by) -> Person:
    """The craftsman ``by`` says ``profile`` — one of their studio's public
    craftsman profiles, claimed by nobody — is them. Once: changing a claim
    is for union staff (in the admin)."""
    if person.user_id != by.pk:
        raise PermissionDenied(_("You can claim a public profile only for yourself."))
    person = hold_profile(person=person, profile=profile)
    if person.profile_id == profile.pk:
        return person  # claimed already: a repeated request
    if person.profile_id is not None:
        raise Conflict(
            _("You have already claimed a public profile; union staff can change it.")
        )
    person.profile = profile
    person.save(update_fields=["profile"])
    invalidate_public_pages()  # the profile's page now shows their record
    return person


def claimable_profiles(person):
    """The public profiles of ``person``'s studio nobody has claimed."""
    if not person or not person.studio_id:
        return Craftsman.objects.none()
    return Craftsman.objects.filter(
        memberships__studio_id=person.studio_id, person__isnull=True
    ).order_by("name")
