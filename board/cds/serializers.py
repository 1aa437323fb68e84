"""The CDS Hooks 2.0 request and response bodies (board.cds.views): the hook call, cards,
discovery and feedback, as DRF serializers that the OpenAPI schema documents."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from board.cds.service import HOOK
from board.models import CdsFeedback
from cases.deid import text_screen


class CdsHookCallSerializer(serializers.Serializer):
    hook = serializers.CharField()
    hookInstance = serializers.CharField(max_length=100)
    fhirServer = serializers.URLField(required=False)
    fhirAuthorization = serializers.DictField(required=False, allow_null=True)
    context = serializers.DictField()
    prefetch = serializers.DictField(required=False, allow_null=True)

    def validate_hook(self, value):
        if value != HOOK:
            raise serializers.ValidationError(f"This service answers the {HOOK} hook only.")
        return value

    def validate_hookInstance(self, value):
        # CDS Hooks 2.0: "a universally unique identifier (UUID) for this particular hook call".
        try:
            uuid.UUID(value)
        except ValueError:
            raise serializers.ValidationError("A UUID, as CDS Hooks requires.") from None
        return value

    def validate_context(self, value):
        # patient-view's context: userId and patientId are required.
        patient = value.get("patientId")
        if not isinstance(patient, str) or not patient.strip():
            raise serializers.ValidationError(
                {"patientId": ["Required by the patient-view hook: the patient's FHIR id."]}
            )
        return value


def _screen(text: str) -> None:
    try:
        text_screen(text)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


class CdsCardSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    summary = serializers.CharField(max_length=140)
    indicator = serializers.ChoiceField(choices=["info", "warning", "critical"])
    detail = serializers.CharField()
    source = serializers.DictField()
    overrideReasons = serializers.ListField(child=serializers.DictField())
    links = serializers.ListField(child=serializers.DictField(), required=False)


class CdsResponseSerializer(serializers.Serializer):
    cards = CdsCardSerializer(many=True)


class CdsServiceSerializer(serializers.Serializer):
    hook = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    prefetch = serializers.DictField(
        child=serializers.CharField(), help_text="Prefetch key: FHIR query template."
    )
    usageRequirements = serializers.CharField()


class CdsDiscoverySerializer(serializers.Serializer):
    services = CdsServiceSerializer(many=True)


class CodingSerializer(serializers.Serializer):
    system = serializers.CharField(required=False, max_length=300)
    code = serializers.CharField(max_length=100)
    display = serializers.CharField(required=False, max_length=200)

    def validate(self, attrs):
        for name in ("code", "display"):
            if name in attrs:
                _screen(attrs[name])
        return attrs


class OverrideReasonSerializer(serializers.Serializer):
    reason = CodingSerializer(required=False)
    userComment = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate_userComment(self, value):
        _screen(value)
        return value


class ZonedDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a time zone; a time without one is refused, not assumed UTC."""

    def to_internal_value(self, value):
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well-formed but impossible, e.g. minute 60
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise serializers.ValidationError(
                "An ISO 8601 date and time with its time zone, e.g. 2026-11-29T10:00:00Z."
            )
        return super().to_internal_value(value)


class FeedbackItemSerializer(serializers.Serializer):
    card = serializers.UUIDField()
    outcome = serializers.ChoiceField(choices=CdsFeedback.Outcome.choices)
    acceptedSuggestions = serializers.ListField(child=serializers.DictField(), required=False)
    overrideReason = OverrideReasonSerializer(required=False)
    outcomeTimestamp = ZonedDateTimeField()


class FeedbackSerializer(serializers.Serializer):
    feedback = FeedbackItemSerializer(many=True)


class FeedbackRecordedSerializer(serializers.Serializer):
    recorded = serializers.IntegerField()
