"""HL7 CDS Hooks 2.0: discovery, the her2-trastuzumab-resistance service and its feedback."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from board.cds.fhir import ER, HER2_IHC, HER2_ISH, LOINC, PR, VARIANT
from board.cds.service import (
    SERVICE_ID,
    ProfileIncomplete,
    cds_cards_build,
    cds_feedback_record,
    cds_profile_assemble,
)
from board.models import CdsCard, CdsFeedback
from cases.deid import notes_screen
from cases.models import CaseProfile
from core.notices import DISCLAIMER_SHORT
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published

LOINC_PREFETCH = ",".join(f"{LOINC}|{code}" for code in (HER2_IHC, HER2_ISH, ER, PR))
DISCOVERY = {
    "services": [
        {
            "hook": "patient-view",
            "id": SERVICE_ID,
            "title": "HER2 trastuzumab-resistance teaching suggestions",
            "description": (
                DISCLAIMER_SHORT + " Maps a "
                "de-identified HER2 breast-cancer profile to the strategies for overcoming "
                "trastuzumab resistance in Vynnychenko & Moskalenko (2024). Send "
                "context.profile (a case-profile contract object, possibly partial) and/or "
                "mCODE Observations in prefetch; setting and trastuzumab_response come from "
                "context.profile, or give context.caseCode of a stored case."
            ),
            "prefetch": {
                "her2Observations": "Observation?patient={{context.patientId}}&code="
                + LOINC_PREFETCH,
                "pik3caVariant": "Observation?patient={{context.patientId}}"
                f"&code={LOINC}|{VARIANT}",
            },
        }
    ]
}


class CdsRequestSerializer(serializers.Serializer):
    hook = serializers.CharField()
    hookInstance = serializers.CharField(max_length=100)
    context = serializers.DictField()
    prefetch = serializers.DictField(required=False, allow_null=True)


class CdsCardSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    summary = serializers.CharField(max_length=140)
    indicator = serializers.ChoiceField(choices=["info", "warning", "critical"])
    detail = serializers.CharField()
    source = serializers.DictField()
    links = serializers.ListField(child=serializers.DictField(), required=False)


class CdsResponseSerializer(serializers.Serializer):
    cards = CdsCardSerializer(many=True)


class DiscoveryView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(DISCOVERY)


class ServiceView(APIView):
    """Answer a patient-view hook with cards; 412 when the profile cannot be assembled."""

    @extend_schema(request=CdsRequestSerializer, responses={200: CdsResponseSerializer})
    def post(self, request):
        body = CdsRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        context, prefetch = body.validated_data["context"], body.validated_data.get("prefetch")
        knowledge_base = knowledge_base_published()
        case, case_url = None, None
        if context.get("caseCode"):
            case = get_object_or_404(CaseProfile, code=str(context["caseCode"]))
            profile = case.as_profile()
            case_url = request.build_absolute_uri(case.get_absolute_url())
        else:
            try:
                profile = cds_profile_assemble(
                    context=context,
                    prefetch=prefetch or {},
                    marker_scales=knowledge_base.marker_scales,
                )
            except ProfileIncomplete as exc:
                raise PreconditionFailed(str(exc)) from None
            except ValidationError as exc:
                raise exceptions.ValidationError(exc.message_dict) from None
        payload = profile_evaluate(profile=profile, knowledge_base=knowledge_base)
        cards = cds_cards_build(
            payload=payload,
            case=case,
            case_url=case_url,
            hook_instance=body.validated_data["hookInstance"],
        )
        return Response({"cards": cards})


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The service lacks data it needs."
    default_code = "precondition_failed"


class OverrideReasonSerializer(serializers.Serializer):
    reason = serializers.DictField(required=False)
    userComment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class FeedbackItemSerializer(serializers.Serializer):
    card = serializers.UUIDField()
    outcome = serializers.ChoiceField(choices=CdsFeedback.Outcome.choices)
    overrideReason = OverrideReasonSerializer(required=False)
    outcomeTimestamp = serializers.DateTimeField()

    def validate_overrideReason(self, value):
        comment = value.get("userComment", "")
        try:
            notes_screen(comment)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value


class FeedbackSerializer(serializers.Serializer):
    feedback = FeedbackItemSerializer(many=True)


class FeedbackRecordedSerializer(serializers.Serializer):
    recorded = serializers.IntegerField()


class FeedbackView(APIView):
    """Record whether cards were accepted or overridden, and why (shown to curators)."""

    @extend_schema(request=FeedbackSerializer, responses={200: FeedbackRecordedSerializer})
    def post(self, request):
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            recorded = cds_feedback_record(items=body.validated_data["feedback"], user=request.user)
        except CdsCard.DoesNotExist as exc:
            raise exceptions.NotFound(str(exc)) from None
        return Response({"recorded": recorded})
