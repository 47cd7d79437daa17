from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.limits import MAX_ID
from problems.api.serializers import (
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)

from .. import policies, services
from ..models import Registration, RegistrationState, Session

# States in which the person's own check-in code is of use.
WITH_CODE = (
    RegistrationState.CONFIRMED,
    RegistrationState.ATTENDED,
    RegistrationState.NO_SHOW,
)


class SessionSerializer(serializers.ModelSerializer):
    """A session as listed."""

    alliance_title = serializers.CharField(source="alliance.title", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "status",
            "mode",
            "alliance",
            "alliance_title",
            "address",
            "starts_at",
            "ends_at",
            "signup_deadline",
            "total_seats",
            "url",
        ]
        read_only_fields = fields


class SeatsSerializer(serializers.Serializer):
    quota = serializers.IntegerField(source="pk", help_text="give it to sign up")
    skill = serializers.CharField()
    seats = serializers.IntegerField()
    taken = serializers.IntegerField(help_text="seats held (confirmed, offered…)")
    waiting = serializers.IntegerField(help_text="people on the waiting list")


class ProblemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    """The caller's own registration."""

    skill = serializers.CharField(source="quota.skill", read_only=True)
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 for the first person waiting for the same skill; null "
        "when not on the waiting list"
    )
    checkin_code = serializers.SerializerMethodField(
        help_text="shown at the door; null without a confirmed seat"
    )

    class Meta:
        model = Registration
        fields = [
            "session",
            "quota",
            "skill",
            "state",
            "arrival",
            "waitlist_position",
            "offer_expires_at",
            "checked_in_at",
            "checkin_code",
        ]
        read_only_fields = fields

    def get_waitlist_position(self, registration) -> int | None:
        return services.waitlist_position(registration)

    def get_checkin_code(self, registration) -> str | None:
        return registration.checkin_code if registration.state in WITH_CODE else None


class SessionDetailSerializer(SessionSerializer):
    """A session in full, as the caller may see it."""

    problems = ProblemRefSerializer(many=True, read_only=True)
    host_enterprise = serializers.CharField(
        source="host_enterprise.name", read_only=True, allow_null=True, default=None
    )
    seats = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField(
        help_text="the caller's own registration, or null"
    )
    meeting_link = serializers.SerializerMethodField(
        help_text="only for confirmed attendees and union staff; null otherwise"
    )

    class Meta(SessionSerializer.Meta):
        fields = [
            *SessionSerializer.Meta.fields,
            "problems",
            "host_enterprise",
            "agenda",
            "cancellation_cutoff",
            "safety_notes",
            "confidentiality_notes",
            "cancel_reason",
            "seats",
            "registration",
            "meeting_link",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(SeatsSerializer(many=True))
    def get_seats(self, session):
        return SeatsSerializer(services.seats_per_skill(session), many=True).data

    @extend_schema_field(RegistrationSerializer(allow_null=True))
    def get_registration(self, session):
        user = self._user()
        if not user.is_authenticated:
            return None
        registration = (
            session.registrations.filter(user=user).select_related("quota").first()
        )
        return RegistrationSerializer(registration).data if registration else None

    def get_meeting_link(self, session) -> str | None:
        if session.meeting_link and policies.may_see_link(self._user(), session):
            return session.meeting_link
        return None


class SignUpSerializer(serializers.Serializer):
    quota = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="the skill's `quota` id from `seats`",
    )
    skill = StrictCharField(
        required=False, max_length=100, help_text="or the skill's name"
    )
    acknowledged = StrictBooleanField(
        required=False,
        default=False,
        help_text="the safety and confidentiality notes were read",
    )

    def validate(self, attrs):
        if ("quota" in attrs) == ("skill" in attrs):
            raise serializers.ValidationError(
                {"quota": [_("Give the skill: either “quota” or “skill”.")]}
            )
        return attrs


class CheckInRequestSerializer(serializers.Serializer):
    code = StrictCharField(max_length=32, help_text="the attendee's check-in code")


class AttendeeSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    skill = serializers.CharField(source="quota.skill", read_only=True)

    class Meta:
        model = Registration
        fields = ["name", "skill", "state", "checked_in_at"]
        read_only_fields = fields

    def get_name(self, registration) -> str:
        user = registration.user
        return user.get_full_name() or user.get_username()


class CheckInSerializer(serializers.Serializer):
    already = serializers.BooleanField(
        help_text="true for a retried scan: counted once"
    )
    attendee = AttendeeSerializer(source="registration")


class WaitlistSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=RegistrationState.choices)
    skill = serializers.CharField(source="quota.skill")
    position = serializers.SerializerMethodField(
        help_text="1 for the first person waiting for the same skill; null "
        "when not waiting"
    )

    def get_position(self, registration) -> int | None:
        return services.waitlist_position(registration)
