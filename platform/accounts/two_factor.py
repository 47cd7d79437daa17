"""Union staff sign in with a second factor: a TOTP authenticator app, with
single-use recovery codes for when the phone is lost (django-otp's TOTP and
static-token devices). A session counts as verified once a code of the user's
own device was accepted in it (django_otp.login)."""

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .people import is_staff

RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery codes"
TOTP_DEVICE = "authenticator app"


def needs_second_factor(user):
    """Staff whose session has not passed the second factor yet."""
    return is_staff(user) and not (hasattr(user, "is_verified") and user.is_verified())


def enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user):
    """The authenticator being set up (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE, confirmed=False
    )


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def secret(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@transaction.atomic
def confirm(request, device, token):
    """Confirm the new authenticator with a code of it; returns the recovery
    codes (shown once) or None when the code is wrong."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=static, token=code) for code in codes
    )
    return codes


def verify(request, token):
    """Accept a current TOTP code or an unused recovery code (which is then
    spent). Devices throttle repeated failures."""
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    return True
