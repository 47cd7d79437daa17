"""/api/v1/sessions/: the pages' rules, over JSON.

Who sees a session is ``policies.can_view`` (404 otherwise, as on the
pages); every change is the pages' own service. A refusal of a service
(``SessionError``: the session's or the registration's state does not allow
it now — a lost race among them) is a 409 with its message; a malformed
request a 400; an action the caller may not take a 403.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as Forbidden
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response

from core.limits import parse_id
from problems.api.parsers import JSONParser
from problems.api.views import Conflict, _call

from .. import policies, services
from ..models import Registration, Session
from .serializers import (
    CheckInRequestSerializer,
    CheckInSerializer,
    RegistrationSerializer,
    SessionDetailSerializer,
    SessionSerializer,
    SignUpSerializer,
    WaitlistSerializer,
)

ALLIANCE = OpenApiParameter(
    "alliance", int, OpenApiParameter.QUERY, description="only this alliance's"
)


def _run(service):
    """The service's result; its refusal as an API error (see the module)."""

    def refused_is_conflict():
        try:
            return service()
        except services.SessionError as exc:
            raise Conflict({"detail": exc.messages}) from exc

    return _call(refused_is_conflict)


def _own_registration(session, user):
    registration = (
        Registration.objects.filter(session=session, user=user)
        .select_related("quota")
        .first()
    )
    if registration is None:
        raise NotFound(_("You are not signed up for this session."))
    return registration


class SessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    parser_classes = [JSONParser]
    serializer_class = SessionSerializer
    lookup_value_regex = r"[0-9]{1,19}"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        sessions = (
            policies.visible_sessions(self.request.user)
            .select_related("alliance")
            .order_by("-starts_at", "pk")
        )
        if self.action == "list" and "alliance" in self.request.query_params:
            try:
                alliance = parse_id(
                    self.request.query_params["alliance"], _("Alliance")
                )
            except ValidationError as exc:
                raise BadRequest({"alliance": exc.messages}) from exc
            sessions = sessions.filter(alliance_id=alliance)
        return sessions

    def get_object(self):
        try:
            pk = parse_id(self.kwargs["pk"], "id")
        except ValidationError as exc:
            raise NotFound from exc
        session = get_object_or_404(
            Session.objects.select_related("alliance", "host_enterprise"), pk=pk
        )
        if not policies.can_view(self.request.user, session):
            raise NotFound
        return session

    @extend_schema(
        parameters=[ALLIANCE],
        description="The sessions the caller may see (a session of a problem "
        "the caller may not read in full does not exist for them; drafts only "
        "for union staff), latest first.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=SessionDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        session = self.get_object()
        return Response(
            SessionDetailSerializer(session, context={"request": request}).data
        )

    @extend_schema(
        request=SignUpSerializer,
        responses={201: RegistrationSerializer},
        description="Volunteer for a skill seat: `confirmed` when the skill and "
        "the session have room, else `waitlisted` with a `waitlist_position`. "
        "403 when the caller may not volunteer (not an approved craftsman of "
        "the alliance or an invited studio); 409 when the session does not "
        "take this sign-up now (deadline, full… or already signed up).",
    )
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        session = self.get_object()
        body = SignUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        quotas = session.quotas.all()
        quota = (
            quotas.filter(pk=data["quota"])
            if "quota" in data
            else quotas.filter(skill=data["skill"].strip())
        ).first()
        if quota is None:
            raise BadRequest({"quota": [_("Choose one of this session's skills.")]})
        reason = policies.eligibility_problem(request.user, session)
        if reason:
            raise Forbidden(reason)
        registration = _run(
            lambda: services.sign_up(
                session=session,
                user=request.user,
                quota=quota,
                acknowledged=data["acknowledged"],
            )
        )
        return Response(
            RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Give up one's seat or place on the waiting list (before the
        cancellation cut-off); the seat is offered to the next person."""
        session = self.get_object()
        registration = _run(lambda: services.cancel(session=session, user=request.user))
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="accept-offer")
    def accept_offer(self, request, pk=None):
        """Confirm a seat offered from the waiting list, before it expires."""
        session = self.get_object()
        registration = _run(
            lambda: services.accept_offer(session=session, user=request.user)
        )
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        request=CheckInRequestSerializer,
        responses=CheckInSerializer,
        description="Union staff check an attendee in by their code. "
        "Idempotent: a retried scan answers `already: true` and counts once. "
        "403 for anyone else; 409 for a code of another session or without "
        "a confirmed seat.",
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        session = self.get_object()
        if not policies.can_organise(request.user):
            raise Forbidden(_("Only union staff organise joint sessions."))
        body = CheckInRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = _run(
            lambda: services.check_in(
                session=session, user=request.user, code=body.validated_data["code"]
            )
        )
        return Response(CheckInSerializer(result).data)

    @extend_schema(responses=WaitlistSerializer)
    @action(detail=True, url_path="waitlist-position")
    def waitlist_position(self, request, pk=None):
        """The caller's state at the session and, while waiting, their place
        in the line for their skill (404 when not signed up)."""
        session = self.get_object()
        return Response(
            WaitlistSerializer(_own_registration(session, request.user)).data
        )
