from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from core.limits import MAX_ID
from studios.models import Studio

from ..models import (
    LONG_TEXT,
    MAX_COUNT,
    MEDIUM_TEXT,
    SHORT_TEXT,
    SUMMARY_FIELDS,
    TEXT_FIELDS,
    MatchSuggestion,
    Problem,
    Proposal,
    Status,
)
from ..validators import not_in_the_past


class StudioSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    industry_chain = serializers.CharField(source="industry_chain.name", read_only=True)
    tags = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Studio
        fields = [
            "id",
            "name",
            "enterprise",
            "industry_chain",
            "level",
            "expertise",
            "tags",
            "url",
        ]

    def get_tags(self, studio) -> list[str]:
        return [t.name for t in studio.tags.all()]


class StrictCharField(serializers.CharField):
    """A string, and only a string: no silent conversion of numbers."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ProblemSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.PositiveIntegerField: StrictIntegerField,
        models.IntegerField: StrictIntegerField,
    }
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    tags = serializers.ListField(
        child=StrictCharField(max_length=100),
        source="tag_names",
        required=False,
        max_length=20,
    )
    version = serializers.CharField(
        read_only=True, help_text="send it back in If-Match to refuse lost updates"
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            *TEXT_FIELDS,
            "industry_chain",
            "deadline",
            "onsite_visit",
            "confidentiality",
            "public_summary",
            "status",
            "enterprise",
            "tags",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["status", "enterprise", "created_at", "updated_at"]

    def validate_deadline(self, deadline):
        if self.instance is None:
            try:
                not_in_the_past(deadline)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return deadline


class RedactedProblemSerializer(serializers.ModelSerializer):
    """An invited-only problem as a reader who may know only its summary sees
    it: the summary, chain and status, nothing the enterprise kept secret."""

    redacted = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [*SUMMARY_FIELDS, "redacted"]
        read_only_fields = fields

    def get_redacted(self, problem) -> bool:
        return True


class ListedProblemSerializer(serializers.BaseSerializer):
    """Each listed problem whole, or redacted when ``full_view`` is False."""

    def to_representation(self, problem):
        if getattr(problem, "full_view", False):
            return ProblemSerializer(problem, context=self.context).data
        return RedactedProblemSerializer(problem, context=self.context).data


class MatchSerializer(serializers.ModelSerializer):
    studio = serializers.CharField(source="studio.slug", read_only=True)

    class Meta:
        model = MatchSuggestion
        fields = [
            "studio",
            "rank",
            "score",
            "reasons",
            "terms",
            "decision",
            "decision_reason",
        ]


class ProposalSerializer(serializers.ModelSerializer):
    serializer_field_mapping = ProblemSerializer.serializer_field_mapping
    studio = serializers.CharField(source="studio.slug", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "studio",
            "text",
            "estimated_cost_wan_yuan",
            "estimated_days",
            "state",
            "respond_by",
            "decline_reason",
            "created_at",
        ]
        read_only_fields = [
            "studio",
            "state",
            "respond_by",
            "decline_reason",
            "created_at",
        ]


class ActionSerializer(serializers.Serializer):
    """Fields an action may need: reason, note, match, decision, studio (list),
    proposal, into (merge), and the outcome fields."""

    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=SHORT_TEXT
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MEDIUM_TEXT
    )
    into = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="merge: the problem that carries on",
    )
    match = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="decide_match"
    )
    decision = serializers.ChoiceField(
        required=False, choices=["confirmed", "dismissed"], help_text="decide_match"
    )
    studio = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=50,
        help_text="invite: the studios' ids",
    )
    proposal = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="accept_proposal, decline_proposal",
    )
    result = serializers.ChoiceField(
        required=False,
        choices=Status.RESULTS,
        help_text="record_outcome",
    )
    solution = serializers.CharField(required=False, max_length=LONG_TEXT)
    patents = serializers.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    five_smalls = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_COUNT
    )
