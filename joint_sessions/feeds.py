"""iCalendar feeds of joint sessions, written with the `icalendar` library.

- A person's **private** feed, at an address holding their secret token
  (``CalendarFeed``): the sessions they have a seat at (confirmed, offered,
  attended), and those they had a seat at that were called off or that they
  left, marked ``STATUS:CANCELLED`` so calendars drop them. The meeting link
  is in it only where ``policies.may_see_link`` allows (confirmed attendees).
  No problem is named in it: the address is a bearer secret that ends up in
  calendar apps, so it carries no more than the session itself.
- An alliance's **public** feed: its sessions that an anonymous reader may
  see (``policies.visible_sessions`` of an anonymous user: never a draft,
  never a session of a problem the public may not read in full).

Each session is one event whose UID never changes; SEQUENCE is the session's
revision (raised when the time or place changes or the session is called
off) and LAST-MODIFIED/DTSTAMP the time of its last change.
"""

from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.people import studio_of
from studios.models import AlliancePage

from . import policies, services
from .models import CalendarFeed, Registration, RegistrationState, SessionStatus

# What puts a session in a person's feed: a seat, or a seat they no longer
# have (shown as cancelled, so a calendar that had it drops it).
IN_PRIVATE_FEED = (
    RegistrationState.CONFIRMED,
    RegistrationState.OFFERED,
    RegistrationState.ATTENDED,
    RegistrationState.CANCELLED,
)
MAX_EVENTS = 500
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(session):
    return f"joint-session-{session.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _calendar(name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Jianglian//Joint sessions//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(request, session, *, status, changed, link=False, problems=()):
    event = icalendar.Event()
    event.add("uid", uid(session))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("status", status)
    if session.address:
        event.add("location", session.address)
    page = request.build_absolute_uri(session.get_absolute_url())
    event.add("url", page)
    lines = [session.agenda] if session.agenda else []
    lines += [_("Problem: %(title)s") % {"title": p.title} for p in problems]
    if link and session.meeting_link:
        lines.append(_("Meeting link: %(url)s") % {"url": session.meeting_link})
    lines.append(page)
    event.add("description", "\n".join(lines))
    return event


def _status(session, cancelled=False):
    if cancelled or session.status == SessionStatus.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED"


def _response(calendar, *, private):
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["X-Robots-Tag"] = "noindex"
    if private:  # the address is the secret: keep it out of shared caches
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
    else:  # the page cache keeps it at most this long (or until content
        # changes, e.g. a problem is made confidential)
        response["Cache-Control"] = "public, max-age=300"
    return response


def private_feed(request, token):
    """A person's sessions, for whoever holds the address (a wrong or reset
    token: 404)."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token[:64]
    )
    user = feed.user
    if not user.is_active:
        raise Http404
    registrations = (
        Registration.objects.filter(
            user=user,
            state__in=IN_PRIVATE_FEED,
            session__in=policies.visible_sessions(user),
        )
        .exclude(session__status=SessionStatus.DRAFT)
        .select_related("session")
        .order_by("-session__starts_at")[:MAX_EVENTS]
    )
    calendar = _calendar(_("My joint sessions · Jianglian"))
    for registration in registrations:
        session = registration.session
        event = _event(
            request,
            session,
            status=(
                "TENTATIVE"
                if registration.state == RegistrationState.OFFERED
                and session.status != SessionStatus.CANCELLED
                else _status(
                    session,
                    cancelled=registration.state == RegistrationState.CANCELLED,
                )
            ),
            changed=max(session.updated_at, registration.updated_at),
            link=registration.state != RegistrationState.CANCELLED
            and session.status != SessionStatus.CANCELLED
            and policies.may_see_link(user, session),
        )
        calendar.add_component(event)
    return _response(calendar, private=True)


def alliance_feed(request, alliance_pk):
    """An alliance's sessions that anyone may see."""
    alliance = get_object_or_404(AlliancePage.objects.live().public(), pk=alliance_pk)
    sessions = (
        policies.visible_sessions(AnonymousUser())
        .filter(alliance=alliance)
        .exclude(status=SessionStatus.DRAFT)
        .prefetch_related("problems")
        .order_by("-starts_at")[:MAX_EVENTS]
    )
    calendar = _calendar(
        _("%(alliance)s · joint sessions") % {"alliance": alliance.title}
    )
    for session in sessions:
        calendar.add_component(
            _event(
                request,
                session,
                status=_status(session),
                changed=session.updated_at,
                problems=session.problems.all(),
            )
        )
    return _response(calendar, private=False)


def feed_url(request, user):
    """The absolute address of ``user``'s private feed (None if they have
    none yet)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return None
    return request.build_absolute_uri(
        reverse("joint_sessions:private_feed", args=[feed.token])
    )


@login_required
@require_POST
def reset_feed(request):
    """Make (or make anew) the person's private feed address; the old one
    stops working."""
    had = CalendarFeed.objects.filter(user=request.user).exists()
    services.reset_feed_token(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address: the old one no longer works.")
        if had
        else _("Your calendar address is ready: add it to your calendar app."),
    )
    return redirect(reverse("accounts:home") + "#calendar")


def account_panel(request):
    """The account page's calendar box (core.hooks.ACCOUNT_PAGE_PANELS)."""
    user = request.user
    if not user.is_authenticated or not (
        studio_of(user) or Registration.objects.filter(user=user).exists()
    ):
        return ""
    return render_to_string(
        "joint_sessions/_account_calendar.html",
        {"feed_url": feed_url(request, user)},
        request=request,
    )
