import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_permissions_policy.decorators import permissions_policy_override

from core.limits import parse_id
from problems.models import Problem
from studios.models import AlliancePage

from . import policies, services
from .certificate import certificate_pdf
from .forms import MinutesForm, RescheduleForm, SessionForm, VolunteerForm
from .models import (
    Registration,
    RegistrationState,
    SeatInvitation,
    Session,
    SessionReportPage,
    SessionStatus,
    SkillQuota,
)


def _session_or_404(user, pk):
    session = get_object_or_404(Session.objects.select_related("alliance"), pk=pk)
    if not policies.can_view(user, session):
        raise Http404
    return session


def checkin_qr(code):
    """The attendee's QR code: always a full QR code, never the smaller
    Micro QR segno would pick for eight characters, which phone cameras and
    the check-in scanner (jsQR) cannot read."""
    return segno.make_qr(code, error="m")


def session_list(request):
    """The sessions the reader may see; ``?alliance=<id>`` those of one
    alliance, with the address of its public calendar feed."""
    sessions = (
        policies.visible_sessions(request.user)
        .exclude(status=SessionStatus.DRAFT)
        .select_related("alliance")
        .order_by("-starts_at")
    )
    alliance = None
    if "alliance" in request.GET:
        try:
            alliance_id = parse_id(request.GET["alliance"], _("Alliance"))
        except ValidationError:
            alliance_id = None
        alliance = AlliancePage.objects.live().public().filter(pk=alliance_id).first()
        if alliance is None:
            raise Http404
        sessions = sessions.filter(alliance=alliance)
    return render(
        request,
        "joint_sessions/list.html",
        {
            "sessions": sessions[:100],
            "alliance": alliance,
            "is_staff": policies.can_organise(request.user),
        },
    )


def detail(request, pk, error=None, status=200):
    session = _session_or_404(request.user, pk)
    user = request.user
    mine = (
        Registration.objects.filter(session=session, user=user)
        .exclude(state=RegistrationState.CANCELLED)
        .select_related("quota")
        .first()
        if user.is_authenticated
        else None
    )
    invitation = (
        SeatInvitation.objects.filter(session=session, user=user)
        .select_related("quota")
        .first()
        if user.is_authenticated
        else None
    )
    qr = None
    if mine and mine.state == RegistrationState.CONFIRMED:
        qr = checkin_qr(mine.checkin_code).svg_inline(scale=4)
    return render(
        request,
        "joint_sessions/detail.html",
        {
            "session": session,
            "problems": session.problems.all(),
            "quotas": services.seats_per_skill(session),
            "mine": mine,
            "position": services.waitlist_position(mine) if mine else None,
            "qr": qr,
            "show_link": policies.may_see_link(user, session),
            "eligibility": policies.eligibility_problem(user, session)
            if user.is_authenticated
            else None,
            "signing_up": session.status in services.SIGNING_UP,
            "is_staff": policies.can_organise(user),
            "attendees": session.registrations.filter(
                state=RegistrationState.ATTENDED
            ).select_related("user", "studio")
            if session.status in (SessionStatus.REPORT_PUBLISHED, SessionStatus.CLOSED)
            else [],
            "report_page": SessionReportPage.objects.live()
            .filter(session=session)
            .first(),
            "my_certificate": policies.certificate_registration(user, session),
            "invitation": invitation,
            "preselected": invitation.quota_id if invitation else None,
            "error": error,
        },
        status=status,
    )


def _refused(request, pk, exc):
    return detail(request, pk, error=" ".join(exc.messages), status=409)


@login_required
@require_POST
def sign_up(request, pk):
    session = _session_or_404(request.user, pk)
    try:
        quota_id = parse_id(request.POST.get("quota"), _("Skill"))
    except ValidationError:
        quota_id = None
    quota = SkillQuota.objects.filter(session=session, pk=quota_id).first()
    if quota is None:
        return detail(
            request, pk, error=_("Choose one of this session's skills."), status=400
        )
    try:
        registration = services.sign_up(
            session=session,
            user=request.user,
            quota=quota,
            acknowledged=request.POST.get("acknowledged") == "on",
        )
    except ValidationError as exc:
        return _refused(request, pk, exc)
    if registration.state == RegistrationState.CONFIRMED:
        messages.success(request, _("You have a seat. See you there!"))
    else:
        messages.info(request, _("The skill is full: you are on the waiting list."))
    return redirect(session.get_absolute_url())


def _own_action(service, done):
    @login_required
    @require_POST
    def view(request, pk):
        session = _session_or_404(request.user, pk)
        try:
            service(session=session, user=request.user)
        except ValidationError as exc:
            return _refused(request, pk, exc)
        messages.success(request, done)
        return redirect(session.get_absolute_url())

    return view


cancel = _own_action(services.cancel, gettext_lazy("Your registration is cancelled."))
accept_offer = _own_action(
    services.accept_offer, gettext_lazy("Your seat is confirmed.")
)


@login_required
def meeting_link(request, pk):
    session = _session_or_404(request.user, pk)
    if not session.meeting_link:
        raise Http404
    if not policies.may_see_link(request.user, session):
        raise PermissionDenied(_("The meeting link is for confirmed attendees only."))
    response = HttpResponseRedirect(session.meeting_link)
    response["Cache-Control"] = "private, no-store"
    return response


def _staff_session(request, pk):
    if not policies.can_organise(request.user):
        raise PermissionDenied(_("Only union staff organise joint sessions."))
    return get_object_or_404(Session.objects.select_related("alliance"), pk=pk)


def _organise(request, session, error=None, status=200, posted=None):
    """The organiser's page; ``posted`` is the refused form's data (by
    action), shown again so nothing typed is lost."""
    posted = posted or {}
    registrations = session.registrations.select_related("user", "studio", "quota")
    return render(
        request,
        "joint_sessions/organise.html",
        {
            "session": session,
            "quotas": services.seats_per_skill(session),
            "registrations": registrations,
            "attended": registrations.filter(state=RegistrationState.ATTENDED),
            "problems": session.problems.all(),
            "minutes_form": MinutesForm(posted["minutes"])
            if "minutes" in posted
            else MinutesForm(initial={"minutes": session.minutes}),
            "reschedule_form": RescheduleForm(posted["reschedule"])
            if "reschedule" in posted
            else RescheduleForm.of(session),
            "movable": session.status in services.MOVABLE,
            "report_page": SessionReportPage.objects.filter(session=session).first(),
            "error": error,
        },
        status=status,
    )


@login_required
def organise(request, pk):
    return _organise(request, _staff_session(request, pk))


@login_required
def new(request):
    if not policies.can_organise(request.user):
        raise PermissionDenied(_("Only union staff organise joint sessions."))
    candidates = Problem.objects.published().filter(merged_into__isnull=True)
    form = SessionForm(request.POST or None, problems=candidates)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                user=request.user,
                # the form's fields are the plan's (the host enterprise aside)
                plan=services.Plan(**(data | {"problems": list(data["problems"])})),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("joint_sessions:organise", pk=session.pk)
    return render(
        request,
        "joint_sessions/new.html",
        {"form": form, "error": error},
        status=400 if (form.errors or error) else 200,
    )


def _minutes(session, user, data):
    form = MinutesForm(data)
    if not form.is_valid():
        raise ValidationError([" ".join(e) for e in form.errors.values()])
    proposals = []
    text = form.cleaned_data["proposal_text"]
    if text.strip():
        problem = session.problems.filter(
            pk=form.cleaned_data["proposal_problem"]
        ).first()
        registration = session.registrations.filter(
            pk=form.cleaned_data["proposal_by"]
        ).first()
        if problem is None or registration is None:
            raise ValidationError(
                _("Say which problem the proposal is for, and who made it.")
            )
        proposals.append(
            services.MinutedProposal(
                problem=problem, registration=registration, text=text
            )
        )
    return services.record_minutes(
        session=session,
        user=user,
        minutes=form.cleaned_data["minutes"],
        proposals=proposals,
    )


def _reschedule(session, user, data):
    form = RescheduleForm(data)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
        )
    return services.reschedule(
        session=session, user=user, move=services.Move(**form.cleaned_data)
    )


def _plain(service):
    """A staff action that takes nothing from the form but the session."""
    return lambda session, user, data: service(session=session, user=user)


def _cancel(session, user, data):
    reason = (data.get("reason") or "")[:2000]
    return services.cancel_session(session=session, user=user, reason=reason)


# action -> (what it runs, what the organiser is told when it is done)
STAFF_ACTIONS = {
    "open": (
        _plain(services.open_session),
        gettext_lazy("The session is open for sign-up."),
    ),
    "hold": (
        _plain(services.mark_held),
        gettext_lazy("The session is marked held; no-shows are recorded."),
    ),
    "minutes": (_minutes, gettext_lazy("Minutes recorded.")),
    "reschedule": (
        _reschedule,
        gettext_lazy("The session is moved; everyone signed up is told."),
    ),
    "publish_report": (
        _plain(services.publish_report),
        gettext_lazy("The report is published."),
    ),
    "close": (_plain(services.close_session), gettext_lazy("The session is closed.")),
    "cancel": (
        _cancel,
        gettext_lazy("The session is cancelled; everyone signed up is told."),
    ),
}


@login_required
@require_POST
def act(request, pk, action):
    session = _staff_session(request, pk)
    if action not in STAFF_ACTIONS:
        raise Http404
    run, done = STAFF_ACTIONS[action]
    try:
        run(session, request.user, request.POST)
    except ValidationError as exc:
        session.refresh_from_db()
        return _organise(
            request,
            session,
            error=" ".join(exc.messages),
            status=409,
            posted={action: request.POST},
        )
    messages.success(request, done)
    return redirect("joint_sessions:organise", pk=session.pk)


def _checked_in_message(result):
    user = result.registration.user
    name = user.get_full_name() or user.get_username()
    if result.already:
        return _("%(name)s was already checked in.") % {"name": name}
    return _("%(name)s is checked in.") % {"name": name}


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


# The camera scanner needs the camera on this page, and only here (the site
# denies it everywhere else): our own origin, never a frame of another.
CAMERA_ALLOWED = permissions_policy_override(
    {**settings.PERMISSIONS_POLICY, "camera": ["self"]}
)


@CAMERA_ALLOWED
@login_required
def check_in(request, pk):
    """Check-in by typed code (a form) or by the camera scanner, which posts
    the same form and asks for JSON so the camera keeps running."""
    session = _staff_session(request, pk)
    result, error, status = None, None, 200
    if request.method == "POST":
        try:
            result = services.check_in(
                session=session,
                user=request.user,
                code=(request.POST.get("code") or "")[:32],
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 409
    counts = session.registrations.aggregate(
        attended=Count("pk", filter=Q(state=RegistrationState.ATTENDED)),
        expected=Count(
            "pk",
            filter=Q(
                state__in=(
                    RegistrationState.CONFIRMED,
                    RegistrationState.ATTENDED,
                    RegistrationState.NO_SHOW,
                )
            ),
        ),
    )
    message = _checked_in_message(result) if result else error
    if request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {
                "ok": result is not None,
                "already": bool(result and result.already),
                "message": message,
                "count": _("%(attended)s of %(expected)s checked in") % counts,
            },
            status=status,
        )
    return render(
        request,
        "joint_sessions/check_in.html",
        {
            "session": session,
            "result": result,
            "result_message": message if result else None,
            "error": error,
            **counts,
        },
        status=status,
    )


MAX_INVITEES = 200


def _invitees_and_quota(session, data):
    """The people and the skill of the invitation form, or a refusal."""
    try:
        ids = [parse_id(v, _("Craftsman")) for v in data.getlist("people")]
        quota_id = parse_id(data.get("quota"), _("Skill"))
    except ValidationError as exc:
        raise services.SessionError(exc.messages) from exc
    if len(ids) > MAX_INVITEES:
        raise services.SessionError(
            _("Invite at most %(n)s people at once.") % {"n": MAX_INVITEES}
        )
    quota = SkillQuota.objects.filter(session=session, pk=quota_id).first()
    if quota is None:
        raise services.SessionError(_("Choose one of this session's skills."))
    people = list(get_user_model().objects.filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise services.SessionError(_("Choose craftsmen from the list."))
    return people, quota


@login_required
def invite(request, pk):
    """Staff invite craftsmen of matched, invited or volunteering studios."""
    session = _staff_session(request, pk)
    error, status = None, 200
    if request.method == "POST":
        try:
            people, quota = _invitees_and_quota(session, request.POST)
            services.invite_craftsmen(
                session=session, user=request.user, invitees=people, quota=quota
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 409
        else:
            messages.success(
                request,
                _("%(n)s invited; each is told, with a link to sign up.")
                % {"n": len(people)},
            )
            return redirect("joint_sessions:invite", pk=session.pk)
    invited = session.seat_invitations.select_related("user", "quota")
    registered = dict(session.registrations.values_list("user_id", "state"))
    return render(
        request,
        "joint_sessions/invite.html",
        {
            "session": session,
            "candidates": [
                c
                for c in policies.invitable(session).values()
                if not any(i.user_id == c.user.pk for i in invited)
            ],
            "quotas": services.seats_per_skill(session),
            "invited": [
                (
                    i,
                    RegistrationState(registered[i.user_id]).label
                    if i.user_id in registered
                    else None,
                )
                for i in invited
            ],
            "open": session.status in services.SIGNING_UP,
            "chosen": set(request.POST.getlist("people")),
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def volunteer(request, problem_pk):
    problem = get_object_or_404(Problem, pk=problem_pk)
    if not Problem.objects.visible_to(request.user).filter(pk=problem.pk).exists():
        raise Http404
    form = VolunteerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say in a short note how your studio can help."))
        services.volunteer(
            problem=problem, user=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        return render(
            request,
            "joint_sessions/refused.html",
            {"error": " ".join(exc.messages), "back": problem.get_absolute_url()},
            status=409,
        )
    messages.success(
        request, _("Thank you: union staff see that your studio can help.")
    )
    return redirect(problem.get_absolute_url() + "#sessions")


@login_required
def certificate(request, pk, registration_pk):
    """The participation certificate (PDF) of one attended seat: for the
    attendee and union staff; anyone else gets 404, as if it did not exist."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "session", "session__alliance", "user", "studio", "quota"
        ),
        pk=registration_pk,
        session_id=pk,
    )
    if not policies.may_download_certificate(request.user, registration):
        raise Http404
    response = HttpResponse(
        certificate_pdf(registration), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{pk}-{registration.pk}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
