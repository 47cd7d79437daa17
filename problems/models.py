from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase

from accounts.people import enterprise_of, is_staff, studio_of
from studios.models.studio import EXTERNAL_ID

from .attachments import private_storage
from .status import Status
from .transitions import TRANSITIONS
from .validators import SaneDate


def private_storage_for_attachments():
    return private_storage


USER = settings.AUTH_USER_MODEL


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public: everyone sees it")
    ALLIANCE = "alliance", _("Alliance: members of the chosen alliances")
    INVITED = "invited", _("Invited: union staff and invited studios only")


def full_view_rule(user):
    """The one rule: union staff read every problem, the posting enterprise its
    own in every state; once published (and not merged), a public problem is
    read by everyone, an alliance problem by the enterprises and studios of the
    chosen alliances, and any problem by the studios invited to it.

    Built from subqueries, never joins, so it needs no DISTINCT and composes
    with locking, counting and aggregation."""
    if is_staff(user):
        return Q(pk__isnull=False)
    readers = Q(confidentiality=Confidentiality.PUBLIC)
    alliance_ids = set()
    if enterprise := enterprise_of(user):
        alliance_ids |= set(
            enterprise.studios.filter(live=True).values_list("alliances", flat=True)
        )
    if studio := studio_of(user):
        alliance_ids |= set(studio.alliances.values_list("pk", flat=True))
        readers |= Q(
            pk__in=Invitation.objects.filter(studio=studio).values("problem_id")
        )
    alliance_ids.discard(None)
    if alliance_ids:
        readers |= Q(
            confidentiality=Confidentiality.ALLIANCE,
            pk__in=Problem.alliances.through.objects.filter(
                alliancepage_id__in=alliance_ids
            ).values("problem_id"),
        )
    rule = readers & ~Q(status__in=Status.HIDDEN_FROM_PUBLIC)
    if enterprise:
        rule |= Q(enterprise=enterprise)
    return rule


def summary_rule():
    """Known by its redacted summary only: a published invited-only problem
    whose enterprise wrote a public summary."""
    return (
        Q(confidentiality=Confidentiality.INVITED)
        & ~Q(public_summary="")
        & ~Q(status__in=Status.HIDDEN_FROM_PUBLIC)
    )


class ProblemQuerySet(models.QuerySet):
    """Who may read which problem is decided here, once: every page, list,
    panel, filter, API answer, index and figure derives from these methods."""

    def published(self):
        return self.exclude(status__in=Status.HIDDEN_FROM_PUBLIC)

    def public(self):
        """Readable in full by everyone: public, published and not merged."""
        return self.published().filter(
            confidentiality=Confidentiality.PUBLIC, merged_into__isnull=True
        )

    def visible_to(self, user):
        """Problems ``user`` may read in full."""
        return self.filter(full_view_rule(user))

    def listed_for(self, user):
        """Problems ``user`` may read in full, plus those they may know only by
        their redacted summary; each row carries ``full_view`` (True / False)."""
        full = full_view_rule(user)
        return self.filter(full | summary_rule()).annotate(
            full_view=models.Case(
                models.When(full, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class ProblemTag(TaggedItemBase):
    content_object = ParentalKey(
        "problems.Problem",
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name=_("problem"),
    )

    class Meta:
        verbose_name = _("problem tag")
        verbose_name_plural = _("problem tags")


# Longest text accepted, in characters, for the long text fields: enough for
# a careful account, short enough that a page, the similar-problem search and
# the matching stay quick (a form shows a counter; the API says the limit).
LONG_TEXT = 5000
MEDIUM_TEXT = 2000
SHORT_TEXT = 300


MAX_DAYS = 3650  # a proposal's estimate: ten years at most
MAX_COUNT = 1000  # patents, five-smalls of one outcome


def bounded(limit):
    """max_length for the form's and the API's field, and the model's own check
    (a TextField's max_length alone is not validated)."""
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


# What the enterprise writes about a problem, in reading order.
TEXT_FIELDS = (
    "title",
    "description",
    "production_line",
    "symptoms",
    "tried",
    "expected_outcome",
)


# Every field the enterprise fills in about its problem, in the form's order
# (the page's form, the API and the create/edit service use this one list).
ENTERPRISE_FIELDS = (
    "title",
    "description",
    "production_line",
    "symptoms",
    "tried",
    "industry_chain",
    "expected_outcome",
    "deadline",
    "onsite_visit",
    "confidentiality",
    "alliances",
    "public_summary",
)


# What a reader who may know a problem only by its redacted summary is shown.
SUMMARY_FIELDS = ("id", "industry_chain", "status", "confidentiality", "public_summary")


class Problem(ClusterableModel):
    """A production bottleneck an enterprise brings to the alliance."""

    external_id = models.CharField(
        _("identifier"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        validators=[EXTERNAL_ID],
    )
    enterprise = models.ForeignKey(
        "organisations.Enterprise",
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("enterprise"),
    )
    created_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem description"), **bounded(LONG_TEXT))
    production_line = models.CharField(
        _("production line / process"), max_length=200, blank=True
    )
    symptoms = models.TextField(
        _("symptoms, with numbers"), blank=True, **bounded(MEDIUM_TEXT)
    )
    tried = models.TextField(_("what was tried"), blank=True, **bounded(MEDIUM_TEXT))
    expected_outcome = models.TextField(
        _("expected outcome"), blank=True, **bounded(MEDIUM_TEXT)
    )
    industry_chain = models.ForeignKey(
        "core.IndustryChain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("industry chain"),
    )
    tags = ClusterTaggableManager(
        through=ProblemTag, blank=True, verbose_name=_("tags")
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, validators=[SaneDate()]
    )
    onsite_visit = models.BooleanField(_("on-site visit possible"), default=False)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    alliances = models.ManyToManyField(
        "studios.AlliancePage",
        blank=True,
        related_name="problems",
        verbose_name=_("alliances that may see it"),
    )
    public_summary = models.TextField(
        _("redacted public summary"),
        blank=True,
        help_text=_("Shown on the public board for an invited-only problem, if given."),
        **bounded(MEDIUM_TEXT),
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The board lists newest first (problems.filters.BoardFilter): read
        # in index order, not by sorting every visible problem per page.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="problem_newest_first")
        ]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("problems:detail", args=[self.pk])

    @property
    def version(self):
        """Changes with every save: editors compare it to refuse lost updates."""
        return self.updated_at.isoformat() if self.updated_at else ""

    @property
    def tag_names(self):
        return sorted(self.tags.names())

    @property
    def text(self):
        return "\n".join(
            value for value in (getattr(self, f) for f in TEXT_FIELDS) if value
        )


class ProblemEvent(models.Model):
    """The audit trail: every transition and decision, who made it and why."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("problem"),
    )
    actor = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(max_length=40, verbose_name=_("action"))
    from_status = models.CharField(
        max_length=14, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=14, blank=True, verbose_name=_("to status"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"

    @property
    def label(self):
        """The action in the reader's language."""
        if self.action == "merged_from":
            return _("a duplicate merged into it")
        rule = TRANSITIONS.get(self.action)
        return rule.label if rule else self.action


class Attachment(models.Model):
    """A file of a problem — or of one studio's proposal for it (``proposal``
    set), which only that studio, the enterprise and union staff may open."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("problem"),
    )
    proposal = models.ForeignKey(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("proposal"),
    )
    file = models.FileField(
        storage=private_storage_for_attachments, max_length=300, verbose_name=_("file")
    )
    name = models.CharField(max_length=200, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class MatchSuggestion(models.Model):
    """A studio the matching engine proposed for a problem, and what people
    decided about it (kept to improve matching later)."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("problem"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="problem_matches",
        verbose_name=_("studio"),
    )
    rank = models.PositiveSmallIntegerField(verbose_name=_("rank"))
    score = models.FloatField(verbose_name=_("score"))
    reasons = models.JSONField(default=list, verbose_name=_("reasons"))
    # the problem's words found in the studio's evidence, marked in the reasons
    terms = models.JSONField(default=list, blank=True, verbose_name=_("matched terms"))
    decision = models.CharField(
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
        verbose_name=_("decision"),
    )
    decision_reason = models.CharField(
        max_length=300, blank=True, verbose_name=_("decision reason")
    )
    decided_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("decided at")
    )

    class Meta:
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "studio"], name="one_match_per_studio"
            )
        ]

    def __str__(self):
        return f"{self.problem_id} → {self.studio_id}"


class Invitation(models.Model):
    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("problem"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("studio"),
    )
    invited_by = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # A studio may decline, saying why; it keeps reading the problem it was
    # shown, but sends no proposal.
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("decline reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "studio"], name="one_invitation_per_studio"
            )
        ]

    def __str__(self):
        return f"{self.studio} ← {self.problem}"


class Proposal(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        COST = "cost", _("Too costly")
        TIME = "time", _("Takes too long")
        FIT = "fit", _("Does not fit our process")
        OTHER_CHOSEN = "other_chosen", _("Another proposal was chosen")
        OTHER = "other", _("Other")

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("problem"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("studio"),
    )
    author = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("proposal"), **bounded(LONG_TEXT))
    estimated_cost_wan_yuan = models.DecimalField(
        _("estimated cost (10,000 yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    estimated_days = models.PositiveIntegerField(
        _("estimated days"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DAYS)],
    )
    state = models.CharField(
        max_length=10,
        choices=State.choices,
        default=State.SUBMITTED,
        verbose_name=_("state"),
    )
    respond_by = models.DateField(_("answer expected by"))
    decline_reason = models.CharField(
        max_length=14,
        choices=DeclineReason.choices,
        blank=True,
        verbose_name=_("decline reason"),
    )
    response_note = models.TextField(
        blank=True, **bounded(MEDIUM_TEXT), verbose_name=_("response note")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    responded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("responded at")
    )
    reminded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("reminded at")
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return f"{self.studio} → {self.problem}"

    @property
    def awaiting_answer(self):
        """Submitted and not yet accepted or declined by the enterprise."""
        return self.state == self.State.SUBMITTED


class Outcome(models.Model):
    """What a collaboration achieved; shown publicly once union staff verify it."""

    problem = models.OneToOneField(
        Problem,
        on_delete=models.CASCADE,
        related_name="outcome",
        verbose_name=_("problem"),
    )
    studio = models.ForeignKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("studio"),
    )
    result = models.CharField(
        max_length=14,
        choices=[(result, result.label) for result in Status.RESULTS],
        verbose_name=_("result"),
    )
    solution = models.TextField(_("adopted solution"), **bounded(LONG_TEXT))
    projected_benefit_wan_yuan = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name=_("projected benefit (10,000 yuan)"),
    )
    actual_benefit_wan_yuan = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name=_("actual benefit (10,000 yuan)"),
    )
    patents = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_COUNT)], verbose_name=_("patents")
    )
    five_smalls = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_COUNT)],
        verbose_name=_("five-small innovations"),
    )
    recorded_by = models.ForeignKey(
        USER,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("confirmed at")
    )
    confirmed_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    verified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("verified at")
    )
    verified_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    achievement = models.OneToOneField(
        "studios.Achievement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome",
        verbose_name=_("achievement"),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.problem}: {self.get_result_display()}"
