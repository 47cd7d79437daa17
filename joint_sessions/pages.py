"""The session report: a Wagtail page published from a held session's
minutes (``services.publish_report``), then edited in the Wagtail admin like
any page (text, photos with captions).

Who may read a report is who may see its session (``policies.can_view``):
whoever may read *every* one of the session's problems in full. A report of a
session on a confidential problem is therefore a 404 for everyone else — on
the page itself, on the reports index, the alliance's timeline, the studios'
pages and the figures' lists — so no summary, minute or photo caption has to
be judged "public enough" by hand. The check runs on every request, so a
problem made confidential later hides its reports at once.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from . import policies
from .models import RegistrationState, Session


class SessionReportIndexPage(Page):
    """/session-reports/: the reports the reader may see, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["joint_sessions.SessionReportPage"]
    max_count = 1

    class Meta:
        verbose_name = _("session report index")
        verbose_name_plural = _("session report indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = (
            visible_reports(request.user)
            .child_of(self)
            .select_related("session", "session__alliance")
            .order_by("-held_on", "-pk")[:100]
        )
        return context


def reports_hidden_from_public():
    """The ids of live report pages an anonymous reader may not see
    (``core.hooks.PAGES_HIDDEN_FROM_PUBLIC``: kept out of the sitemap)."""
    return SessionReportPage.objects.exclude(
        session__in=policies.visible_sessions(AnonymousUser())
    ).values("pk")


def visible_reports(user):
    """Live report pages of the sessions ``user`` may see."""
    return SessionReportPage.objects.live().filter(
        session__in=policies.visible_sessions(user)
    )


class SessionReportPage(Page):
    """The report of one held session (技术协作攻关 / 技术会诊纪要)."""

    session = models.OneToOneField(
        Session,
        on_delete=models.PROTECT,
        related_name="report_page",
        verbose_name=_("joint session"),
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = RichTextField(_("report"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("held_on"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("photos", label=_("Photos")),
    ]

    parent_page_types = ["joint_sessions.SessionReportIndexPage"]
    subpage_types = []
    # born from a held session (services.publish_report), never added by hand
    is_creatable = False

    class Meta:
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")

    def serve(self, request, *args, **kwargs):
        if not policies.can_view(request.user, self.session):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        session = self.session
        context.update(
            session=session,
            problems=session.problems.all(),
            attendees=session.registrations.filter(
                state=RegistrationState.ATTENDED
            ).select_related("user", "studio"),
            photos=self.photos.select_related("image"),
            may_download=policies.certificate_registration(request.user, session),
        )
        return context


class ReportPhoto(Orderable):
    """A photo of the session, with its caption, in the report's gallery."""

    page = ParentalKey(
        SessionReportPage,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("session report"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("image"),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
