"""/api/v1/: the same rules as the pages — policies decide on each object, and
what a user may not see answers 404."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.exceptions import PermissionDenied as Forbidden
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response

from accounts.people import enterprise_of
from core.idempotency import MAX_KEY_LENGTH, claim, record
from studios.models import Studio

from .. import policies, services
from ..actions import ACTIONS
from ..models import Problem, Status
from ..selectors import listed_problems
from .parsers import JSONParser
from .serializers import (
    ActionSerializer,
    ListedProblemSerializer,
    MatchSerializer,
    ProblemSerializer,
    ProposalSerializer,
    RedactedProblemSerializer,
    StudioSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The problem's `version` (its ETag) the edit starts from: a "
    "newer change answers 412 instead of being overwritten.",
)


class Conflict(APIException):
    """The action does not fit the problem's state (now): typically someone
    else acted first. Nothing was changed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The problem's state does not allow this action now."
    default_code = "conflict"


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Optional, at most 64 characters, new for each problem: a "
    "request sent again with the same key (a retry after a lost answer) "
    "creates nothing and answers 200 with the problem the first one created.",
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The problem changed since the version named in If-Match: "
        "fetch it again and re-apply the edit."
    )
    default_code = "precondition_failed"


class StudioViewSet(viewsets.ReadOnlyModelViewSet):
    parser_classes = [JSONParser]
    serializer_class = StudioSerializer
    lookup_field = "slug"
    queryset = (
        Studio.objects.filter(live=True)
        .select_related("enterprise", "industry_chain")
        .prefetch_related("tags")
        .order_by("slug")
    )


class ProblemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProblemSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        return listed_problems(self.request.user).prefetch_related("tagged_items__tag")

    @extend_schema(
        responses=ProblemSerializer(many=True),
        description="Problems the caller may read in full, and invited-only "
        "problems known by their summary only (`redacted: true`, with only "
        "id, industry_chain, status, confidentiality and public_summary).",
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = ListedProblemSerializer(page, many=True).data
        return self.get_paginated_response(data)

    def _find(self):
        try:
            return Problem.objects.select_related("enterprise").get(
                pk=int(self.kwargs["pk"])
            )
        except (Problem.DoesNotExist, ValueError, OverflowError) as exc:
            raise NotFound from exc

    def get_object(self):
        problem = self._find()
        if not policies.can_view(self.request.user, problem):
            raise NotFound
        return problem

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ProblemSerializer, 200: ProblemSerializer},
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or not request.user.is_authenticated:
            return super().create(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise BadRequest(
                {"detail": f"Idempotency-Key: at most {MAX_KEY_LENGTH} characters."}
            )
        with transaction.atomic():
            claimed, earlier = claim(request.user, "api:problems", key)
            if earlier is not None:
                problem = Problem.objects.filter(pk=earlier).first()
                if problem is None or not policies.can_view(request.user, problem):
                    raise NotFound("The problem created with this key is gone.")
                return Response(ProblemSerializer(problem).data, status=200)
            response = super().create(request, *args, **kwargs)
            record(claimed, response.data["id"])
            return response

    def perform_create(self, serializer):
        enterprise = enterprise_of(self.request.user)
        if enterprise is None:
            raise Forbidden("Only approved enterprise members post problems.")
        fields = dict(serializer.validated_data)
        tags = fields.pop("tag_names", [])
        serializer.instance = _call(
            lambda: services.save_problem(
                user=self.request.user,
                problem=Problem(enterprise=enterprise, created_by=self.request.user),
                fields=fields,
                tags=tags,
            )
        )

    def retrieve(self, request, *args, **kwargs):
        problem = self._find()
        if policies.access(request.user, problem) == policies.SUMMARY:
            return Response(RedactedProblemSerializer(problem).data)
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    @extend_schema(parameters=[IF_MATCH], responses={200: ProblemSerializer, 412: None})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(parameters=[IF_MATCH], responses={200: ProblemSerializer, 412: None})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        tags = fields.pop("tag_names", None)
        expected = self.request.headers.get("If-Match", "").strip()
        try:
            serializer.instance = services.save_problem(
                user=self.request.user,
                problem=serializer.instance,
                fields=fields,
                tags=tags,
                version=expected.removeprefix("W/").strip('"') if expected else None,
            )
        except services.EditConflict as exc:
            raise PreconditionFailed from exc
        except PermissionDenied as exc:
            raise Forbidden(str(exc)) from exc

    def perform_destroy(self, problem):
        if not (
            policies.is_owner(self.request.user, problem)
            and problem.status == Status.DRAFT
        ):
            raise Forbidden("Only the enterprise deletes its own drafts.")
        problem.delete()

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True)
    def matches(self, request, pk=None):
        problem = self.get_object()
        if not policies.can_see_matches(request.user, problem):
            raise NotFound
        return Response(
            MatchSerializer(problem.matches.select_related("studio"), many=True).data
        )

    @extend_schema(request=ProposalSerializer, responses=ProposalSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def proposals(self, request, pk=None):
        problem = self.get_object()
        if request.method == "POST":
            serializer = ProposalSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            proposal = _call(
                lambda: services.submit_proposal(
                    problem=problem, user=request.user, **serializer.validated_data
                )
            )
            return Response(
                ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED
            )
        if not (
            policies.can_see_matches(request.user, problem)
            or policies.can_propose(request.user, problem)
        ):
            raise NotFound
        return Response(
            ProposalSerializer(
                policies.visible_proposals(request.user, problem).select_related(
                    "studio"
                ),
                many=True,
            ).data
        )

    @extend_schema(
        request=ActionSerializer,
        responses=ProblemSerializer,
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))
        ],
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def act(self, request, pk=None, name=None):
        problem = self.get_object()
        if name not in ACTIONS:
            raise NotFound
        _call(lambda: ACTIONS[name](problem, request.user, _action_data(request.data)))
        problem.refresh_from_db()
        return Response(ProblemSerializer(problem).data)


MAX_ACTION_FIELDS = 20
MAX_LIST = 50


def _action_data(data):
    """An action's JSON body as the form data the actions read: an object
    whose values are strings, whole numbers or lists of them. Anything else
    (an array, a string, null, a float, a nested object) is a 400."""
    if hasattr(data, "getlist"):
        return data
    if not isinstance(data, dict):
        raise BadRequest({"detail": [_("The body must be a JSON object.")]})
    if len(data) > MAX_ACTION_FIELDS:
        raise BadRequest({"detail": [_("Too many fields.")]})
    query = QueryDict(mutable=True)
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_LIST or not all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool))
            for v in values
        ):
            raise BadRequest(
                {
                    key: [
                        _(
                            "Give a text, a whole number or a list of them "
                            "(at most %(n)d)."
                        )
                        % {"n": MAX_LIST}
                    ]
                }
            )
        query.setlist(key, [str(v) for v in values])
    return query


def _call(service):
    try:
        return service()
    except (Problem.DoesNotExist, Http404) as exc:
        raise NotFound from exc
    except PermissionDenied as exc:
        raise Forbidden(str(exc)) from exc
    except services.TransitionError as exc:  # a state conflict, e.g. a lost race
        raise Conflict({"detail": exc.messages}) from exc
    except ValidationError as exc:
        raise BadRequest({"detail": exc.messages}) from exc
