from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

EXTERNAL_ID = RegexValidator(
    r"^[a-z0-9-]{3,64}$",
    _("3 to 64 characters: lower-case letters, digits and hyphens."),
)


class Level(models.TextChoices):
    """Naming level; the value is the interchange format's own word."""

    NATIONAL = "全国", _("National")
    PROVINCIAL = "省级", _("Provincial")
    CITY = "市级", _("City")
    COUNTY = "县级", _("County")
    ENTERPRISE = "企业级", _("Enterprise")


class Craftsman(models.Model):
    """A model worker or craftsman: leader or member of a studio."""

    name = models.CharField(_("name"), max_length=50)
    titles = models.CharField(
        _("titles"),
        max_length=300,
        blank=True,
        help_text=_("Separated by 、 e.g. 陕西省劳动模范、高级技师"),
    )
    skills = models.TextField(_("skills"), blank=True)
    biography = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("titles"),
        FieldPanel("skills"),
        FieldPanel("biography"),
        FieldPanel("photo"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("craftsman")
        verbose_name_plural = _("craftsmen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("studios:craftsman", args=[self.pk])

    @property
    def title_list(self):
        return [t for t in self.titles.split("、") if t]


class StudioTag(TaggedItemBase):
    content_object = ParentalKey(
        "studios.Studio",
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name=_("studio"),
    )

    class Meta:
        verbose_name = _("studio tag")
        verbose_name_plural = _("studio tags")


class Studio(DraftStateMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """A model-worker and craftsman innovation studio (劳模和工匠人才创新工作室)."""

    slug = models.CharField(
        _("identifier"),
        max_length=64,
        unique=True,
        validators=[EXTERNAL_ID],
        help_text=_("Stable identifier used in the address and in imports."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "organisations.Enterprise",
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        related_name="studios",
    )
    industry_chain = models.ForeignKey(
        "core.IndustryChain",
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        related_name="studios",
    )
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studios",
    )
    level = models.CharField(
        _("naming level"), max_length=8, choices=Level.choices, blank=True
    )
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    expertise = models.TextField(_("expertise"))
    tags = ClusterTaggableManager(
        through=StudioTag, blank=True, verbose_name=_("expertise tags")
    )
    equipment = models.TextField(_("equipment"), blank=True)
    honours = ParentalManyToManyField(
        "core.Honour", verbose_name=_("honours"), blank=True, related_name="studios"
    )
    alliances = ParentalManyToManyField(
        "studios.AlliancePage",
        verbose_name=_("alliances"),
        blank=True,
        related_name="studios",
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("name_en"),
                FieldPanel("slug"),
                FieldPanel("enterprise"),
                FieldPanel("industry_chain"),
                FieldPanel("district"),
                FieldPanel("level"),
                FieldPanel("member_count"),
            ],
            heading=_("Studio"),
        ),
        FieldPanel("expertise"),
        FieldPanel("tags"),
        FieldPanel("equipment"),
        FieldPanel("honours"),
        FieldPanel("alliances"),
        InlinePanel("members", label=_("Leader and members")),
        InlinePanel("achievements", label=_("Achievements")),
        InlinePanel("photos", label=_("Photos")),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Contact for enterprises"),
        ),
    ]

    class Meta:
        ordering = ["slug"]
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        indexes = [models.Index(fields=["live", "industry_chain"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("studios:detail", args=[self.slug])

    def get_preview_template(self, request, mode_name):
        return "studios/studio_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"studio": self, "preview": True}


class StudioMember(Orderable):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")

    studio = ParentalKey(
        Studio,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("studio"),
    )
    craftsman = models.ForeignKey(
        Craftsman,
        verbose_name=_("craftsman"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )

    panels = [FieldPanel("craftsman"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name_plural = _("studio members")
        verbose_name = _("studio member")
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "craftsman"], name="unique_studio_member"
            )
        ]


class Achievement(Orderable):
    class Kind(models.TextChoices):
        PATENT = "patent", _("Patent")
        FIVE_SMALL = "five_small", _("Five smalls")
        PROJECT = "project", _("Project")
        METHOD = "method", _("Method")
        AWARD = "award", _("Award")

    class FiveSmall(models.TextChoices):
        INVENTION = "invention", _("Small invention")
        CREATION = "creation", _("Small creation")
        INNOVATION = "innovation", _("Small innovation")
        DESIGN = "design", _("Small design")
        SUGGESTION = "suggestion", _("Small suggestion")

    class PatentStatus(models.TextChoices):
        APPLIED = "applied", _("Applied")
        GRANTED = "granted", _("Granted")

    studio = ParentalKey(
        Studio,
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("studio"),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    five_small_kind = models.CharField(
        _("five-small category"), max_length=12, choices=FiveSmall.choices, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    benefit_wan_yuan = models.DecimalField(
        _("economic benefit (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    patent_status = models.CharField(
        _("patent status"), max_length=8, choices=PatentStatus.choices, blank=True
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldPanel("kind"),
        FieldPanel("five_small_kind"),
        FieldPanel("year"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("benefit_wan_yuan"),
        FieldPanel("patent_status"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        indexes = [models.Index(fields=["kind", "year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("studios:achievement", args=[self.pk])


class StudioPhoto(Orderable):
    studio = ParentalKey(
        Studio,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("studio"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta:
        verbose_name = _("studio photo")
        verbose_name_plural = _("studio photos")
