"""HL7 CDS Hooks 2.0: discovery, the her2-trastuzumab-resistance service and its feedback."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.deid import notes_screen
from cases.models import CaseProfile
from cases.profile import profile_clean
from rules.fhir import FhirError, profile_from_prefetch
from rules.models import CdsCard, CdsFeedback
from rules.selectors import knowledge_base_published, profile_evaluate
from rules.services import cds_cards_record, cds_feedback_record

SERVICE_ID = "her2-trastuzumab-resistance"
REVIEW_SOURCE = {
    "label": "Vynnychenko & Moskalenko 2024, Regul. Mech. Biosyst. 15(2):345-352 (her2-board)",
    "url": "https://doi.org/10.15421/022449",
}
NEEDED = ("her2_ihc", "setting", "trastuzumab_response")
INDICATOR = {"strategy": "info", "predictive_note": "info", "resistance_flag": "warning",
             "caution": "warning", "scope": "warning"}  # fmt: skip
LOINC_PREFETCH = ",".join(
    f"http://loinc.org|{code}" for code in ("85319-2", "85318-4", "85337-4", "85339-0")
)
DISCOVERY = {
    "services": [
        {
            "hook": "patient-view",
            "id": SERVICE_ID,
            "title": "HER2 trastuzumab-resistance teaching suggestions",
            "description": (
                "Research and training use only; not for clinical decisions. Maps a "
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
                "&code=http://loinc.org|69548-6",
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


def _detail(recommendation: dict[str, Any], disclaimer: str) -> str:
    facts = ", ".join(f"`{k}` = {v}" for k, v in recommendation["matched_facts"].items())
    citations = "\n".join(
        f"- {c['label']}. {c['title']}. *{c['journal']}*."
        + (f" [doi:{c['doi']}]({c['doi_url']})" if c["doi"] else "")
        + (" **RETRACTED.**" if c["retracted"] else "")
        for c in recommendation["citations"]
    )
    return (
        f"**{recommendation['mechanism']}**"
        + (f" — strategy: {recommendation['strategy']}" if recommendation["strategy"] else "")
        + f"\n\nEvidence: {recommendation['evidence_label']}.\n\n{recommendation['rationale']}"
        + f"\n\nMatched facts: {facts}\n\n"
        + (f"Citations:\n{citations}\n\n" if citations else "")
        + f"_{disclaimer}_"
    )


def _summary(recommendation: dict[str, Any]) -> str:
    text = recommendation["title"]
    return text if len(text) <= 140 else text[:139] + "…"


class ServiceView(APIView):
    """Answer a patient-view hook with cards; 412 when the profile cannot be assembled."""

    @extend_schema(request=CdsRequestSerializer, responses={200: CdsResponseSerializer})
    def post(self, request):
        body = CdsRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        context, prefetch = body.validated_data["context"], body.validated_data.get("prefetch")
        knowledge_base = knowledge_base_published()
        case = None
        if context.get("caseCode"):
            case = get_object_or_404(CaseProfile, code=str(context["caseCode"]))
            profile = case.as_profile()
        else:
            profile = self._profile(context, prefetch or {}, knowledge_base.marker_scales)
        payload = profile_evaluate(profile=profile, knowledge_base=knowledge_base)
        cards = self._cards(payload, case, request, body.validated_data["hookInstance"])
        return Response({"cards": cards})

    def _profile(self, context, prefetch, marker_scales) -> dict[str, Any]:
        given = context.get("profile") or {}
        if not isinstance(given, dict):
            raise exceptions.ValidationError({"context.profile": ["must be an object"]})
        try:
            data = {**given, **profile_from_prefetch(prefetch)}
        except FhirError as exc:
            raise exceptions.ValidationError({"prefetch": [str(exc)]}) from None
        missing = [name for name in NEEDED if name not in data]
        if missing:
            raise PreconditionFailed(
                "The service needs " + ", ".join(missing) + " (from context.profile, or "
                "HER2 IHC from an mCODE Observation with LOINC 85319-2)."
            )
        try:
            return profile_clean(data=data, marker_scales=marker_scales)
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def _cards(self, payload, case, request, hook_instance) -> list[dict[str, Any]]:
        cards = []
        links = []
        if case is not None:
            links = [
                {
                    "label": f"Case {case.code} on her2-board",
                    "url": request.build_absolute_uri(case.get_absolute_url()),
                    "type": "absolute",
                }
            ]
        for recommendation in payload["recommendations"]:
            cards.append(
                {
                    "uuid": str(uuid.uuid4()),
                    "summary": _summary(recommendation),
                    "indicator": INDICATOR[recommendation["kind"]],
                    "detail": _detail(recommendation, payload["disclaimer"]),
                    "source": REVIEW_SOURCE,
                    "links": links,
                }
            )
        cds_cards_record(
            cards=[
                {"uuid": card["uuid"], "rule": rec["rule"]}
                for card, rec in zip(cards, payload["recommendations"], strict=True)
            ],
            knowledge_base_version=payload["knowledge_base_version"],
            hook_instance=hook_instance,
        )
        return cards


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
