from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise member")
    CRAFTSMAN = "craftsman", _("Studio member (craftsman)")
    STAFF = "staff", _("Union staff")


class Person(models.Model):
    """Who a user is on the platform: their role and organisation.

    Enterprise members and craftsmen register themselves and act only once
    union staff have approved them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
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
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="enterprise")
                | models.Q(enterprise__isnull=False),
                name="enterprise_member_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="craftsman") | models.Q(studio__isnull=False),
                name="craftsman_has_studio",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def approved(self):
        return self.role == Role.STAFF or self.approved_at is not None
