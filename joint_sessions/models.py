import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL
SHORT_TEXT, MEDIUM_TEXT, LONG_TEXT = 300, 2000, 10000


def bounded(limit):
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


def new_code():
    """A check-in code: short enough to type, unguessable enough to matter."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Mode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for sign-up")
    FULL = "full", _("Full")
    HELD = "held", _("Held")
    REPORT_PUBLISHED = "report_published", _("Report published")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Sessions that took place: what the figures count as "sessions held".
SessionStatus.HELD_STATES = frozenset(
    {SessionStatus.HELD, SessionStatus.REPORT_PUBLISHED, SessionStatus.CLOSED}
)


class Session(models.Model):
    """A joint problem-solving session for one or more problems."""

    title = models.CharField(_("title"), max_length=200)
    problems = models.ManyToManyField(
        "problems.Problem", related_name="joint_sessions", verbose_name=_("problems")
    )
    alliance = models.ForeignKey(
        "studios.AlliancePage",
        on_delete=models.PROTECT,
        related_name="joint_sessions",
        verbose_name=_("organising alliance"),
    )
    invited_studios = models.ManyToManyField(
        "studios.Studio",
        blank=True,
        related_name="joint_session_invitations",
        verbose_name=_("invited studios"),
    )
    host_enterprise = models.ForeignKey(
        "organisations.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
        verbose_name=_("host enterprise"),
    )
    address = models.CharField(_("site address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("mode"), max_length=10, choices=Mode.choices, default=Mode.ONSITE
    )
    meeting_link = models.URLField(_("meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, **bounded(MEDIUM_TEXT))
    total_seats = models.PositiveSmallIntegerField(
        _("seats in total"), validators=[MinValueValidator(1)]
    )
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    cancellation_cutoff = models.DateTimeField(_("cancellation cut-off"))
    safety_notes = models.TextField(
        _("safety notes"), blank=True, **bounded(MEDIUM_TEXT)
    )
    confidentiality_notes = models.TextField(
        _("confidentiality notes"), blank=True, **bounded(MEDIUM_TEXT)
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.DRAFT,
        db_index=True,
    )
    cancel_reason = models.TextField(
        _("reason for cancelling"), blank=True, **bounded(MEDIUM_TEXT)
    )
    minutes = models.TextField(_("minutes"), blank=True, **bounded(LONG_TEXT))
    proposals = models.ManyToManyField(
        "problems.Proposal",
        blank=True,
        related_name="joint_sessions",
        verbose_name=_("proposals made in the session"),
    )
    report_published_at = models.DateTimeField(
        _("report published at"), null=True, blank=True
    )
    report_reminded_at = models.DateTimeField(
        _("organiser reminded of the report at"), null=True, blank=True
    )
    arrivals = models.PositiveIntegerField(_("sign-ups so far"), default=0)
    # iCalendar SEQUENCE: raised when the time or place changes or the
    # session is called off, so calendars replace their copy.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("joint session")
        verbose_name_plural = _("joint sessions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("joint_sessions:detail", args=[self.pk])


class SkillQuota(models.Model):
    """Seats for one skill (e.g. 2 × 电气自动化)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="quotas",
        verbose_name=_("joint session"),
    )
    skill = models.CharField(_("skill"), max_length=100)
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("skill quota")
        verbose_name_plural = _("skill quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "skill"], name="one_quota_per_skill"
            )
        ]

    def __str__(self):
        return f"{self.skill} × {self.seats}"


class RegistrationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# Registrations that hold a seat.
HOLDS_SEAT = (
    RegistrationState.CONFIRMED,
    RegistrationState.OFFERED,
    RegistrationState.ATTENDED,
    RegistrationState.NO_SHOW,
)


class Registration(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("joint session"),
    )
    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="session_registrations",
        verbose_name=_("craftsman"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        null=True,
        on_delete=models.SET_NULL,
        related_name="session_registrations",
        verbose_name=_("studio"),
    )
    quota = models.ForeignKey(
        SkillQuota,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("skill"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices
    )
    arrival = models.PositiveIntegerField(_("arrival order"))
    checkin_code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_code
    )
    acknowledged_notes = models.BooleanField(
        _("safety and confidentiality notes acknowledged"), default=False
    )
    offer_expires_at = models.DateTimeField(
        _("offer expires at"), null=True, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_24h_at = models.DateTimeField(
        _("reminded a day before at"), null=True, blank=True
    )
    reminded_2h_at = models.DateTimeField(
        _("reminded two hours before at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["arrival", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_registration_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.session}"


class VolunteerOffer(models.Model):
    """揭榜: a craftsman says their studio can help with a problem."""

    problem = models.ForeignKey(
        "problems.Problem",
        on_delete=models.CASCADE,
        related_name="volunteer_offers",
        verbose_name=_("problem"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="volunteer_offers",
        verbose_name=_("studio"),
    )
    craftsman = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("craftsman"),
    )
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("volunteer offer")
        verbose_name_plural = _("volunteer offers")
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "studio"], name="one_volunteer_offer_per_studio"
            )
        ]

    def __str__(self):
        return f"{self.studio} → {self.problem}"


def new_feed_token():
    """The secret part of a private calendar feed's address."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed: its address holds this token, so
    whoever has the address reads the feed — resetting the token (a new one)
    makes the old address answer 404."""

    user = models.OneToOneField(
        USER,
        on_delete=models.CASCADE,
        related_name="session_calendar",
        verbose_name=_("person"),
    )
    token = models.CharField(
        _("secret token"), max_length=64, unique=True, default=new_feed_token
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} (calendar)"


class SeatInvitation(models.Model):
    """Union staff invite one craftsman (of a matched, invited or
    volunteering studio) to a session for a skill. It makes them eligible to
    volunteer; the seat itself is still taken through the sign-up, with its
    quotas and waiting list like anyone else's."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="seat_invitations",
        verbose_name=_("joint session"),
    )
    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="session_invitations",
        verbose_name=_("craftsman"),
    )
    quota = models.ForeignKey(
        SkillQuota,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("skill"),
    )
    invited_by = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("seat invitation")
        verbose_name_plural = _("seat invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_seat_invitation_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} ✉ {self.session}"


# The report pages (Wagtail) live in pages.py, which needs the models above.
from .pages import ReportPhoto, SessionReportIndexPage, SessionReportPage  # noqa: E402

__all__ = [
    "HOLDS_SEAT",
    "Mode",
    "Registration",
    "RegistrationState",
    "ReportPhoto",
    "SeatInvitation",
    "Session",
    "SessionReportIndexPage",
    "SessionReportPage",
    "SessionStatus",
    "SkillQuota",
    "VolunteerOffer",
]
