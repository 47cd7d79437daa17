from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from studios.models import StudioMember


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise member")
    CRAFTSMAN = "craftsman", _("Studio member (craftsman)")
    STAFF = "staff", _("Union staff")


class Person(models.Model):
    """Who a user is on the platform: their role and organisation.

    Enterprise members and craftsmen register themselves with a *claim* (the
    enterprise's name and unified social credit code, or the studio) and act
    only once union staff have approved it: approval attaches them to the
    enterprise or studio. Until then ``enterprise`` and ``studio`` stay empty,
    and no enterprise is created for them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    enterprise = models.ForeignKey(
        "organisations.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    claimed_enterprise_name = models.CharField(
        _("claimed enterprise"), max_length=200, blank=True
    )
    claimed_credit_code = models.CharField(
        _("claimed unified social credit code"), max_length=18, blank=True
    )
    claimed_studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("claimed studio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The craftsman's public profile (/craftsmen/<pk>/), one of their studio's
    # members: claimed by the craftsman on their account page, or set and
    # cleared by union staff in the admin (services.claim_profile,
    # services.hold_profile). Its page shows their joint-session record.
    profile = models.OneToOneField(
        "studios.Craftsman",
        verbose_name=_("public profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        error_messages={
            "unique": _("Another account has already claimed this public profile.")
        },
    )
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="enterprise")
                | models.Q(approved_at__isnull=True)
                | models.Q(enterprise__isnull=False),
                name="approved_enterprise_member_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="craftsman")
                | models.Q(approved_at__isnull=True)
                | models.Q(studio__isnull=False),
                name="approved_craftsman_has_studio",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True)
                | models.Q(rejected_at__isnull=True),
                name="not_both_approved_and_rejected",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.profile_id is None:
            return
        if problem := self.profile_problem(self.profile):
            raise ValidationError({"profile": problem})

    def profile_problem(self, profile):
        """Why ``profile`` cannot be this person's public profile, or ''."""
        craftsman = self.role == Role.CRAFTSMAN and self.approved_at is not None
        if not craftsman or not self.studio_id:
            return gettext_now(
                "Only approved craftsmen of a studio can claim a public profile."
            )
        if not StudioMember.objects.filter(
            studio_id=self.studio_id, craftsman_id=profile.pk
        ).exists():
            return gettext_now("This public profile is not one of your studio's.")
        return ""

    @property
    def approved(self):
        return self.role == Role.STAFF or self.approved_at is not None

    @property
    def email_verified(self):
        return self.email_verified_at is not None
