"""HL7 CDS Hooks 2.0: discovery, the her2-trastuzumab-resistance service and its feedback.

Views parse and answer; board.cds.service assembles the profile and builds the cards.
Errors are JSON (400, 401, 404, 412, 413); CORS is configured for these paths only.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from board.cds.auth import CdsJwtAuthentication
from board.cds.service import (
    HOOK,
    SERVICE_ID,
    ProfileIncomplete,
    cds_cards_build,
    cds_feedback_record,
    cds_profile_assemble,
)
from board.fhir import codes
from board.fhir.reading import MixedPatients
from board.models import CdsCard, CdsFeedback
from board.training import proposal_due, propose_first_message
from cases.contract import EXAMPLE_PROFILE
from cases.deid import text_screen
from cases.models import CaseProfile
from core import problems
from core.authentication import TokenAuthentication
from core.notices import DISCLAIMER_SHORT
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published

AUTHENTICATION = [CdsJwtAuthentication, TokenAuthentication, SessionAuthentication]


def _observations(*loinc: str) -> str:
    return "Observation?patient={{context.patientId}}&code=" + ",".join(
        f"{codes.LOINC}|{code}" for code in loinc
    )


DISCOVERY = {
    "services": [
        {
            "hook": HOOK,
            "id": SERVICE_ID,
            "title": "HER2 trastuzumab-resistance teaching suggestions",
            "description": (
                DISCLAIMER_SHORT + " Maps a HER2 breast-cancer profile, read from mCODE and "
                "Genomics Reporting resources, to the strategies for overcoming trastuzumab "
                "resistance in Vynnychenko & Moskalenko (2024)."
            ),
            "prefetch": {
                "her2": _observations(
                    *sorted(codes.HER2_IHC_TESTS | codes.HER2_ISH_TESTS),
                    codes.HER2_ISH_RATIO,
                    codes.HER2_COPY_NUMBER,
                    codes.HER2_INTERPRETATION,
                ),
                "receptors": _observations(*sorted(codes.ER_TESTS | codes.PR_TESTS)),
                "variants": _observations(codes.VARIANT),
                "staging": _observations("21907-1", "21901-4", "21899-0", "21900-6"),
                "diseaseStatus": _observations(codes.DISEASE_STATUS),
                "conditions": "Condition?patient={{context.patientId}}",
                "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
                "medicationAdministrations": (
                    "MedicationAdministration?patient={{context.patientId}}"
                ),
                "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
            },
            "usageRequirements": (
                "HER2 IHC must be a scored result (85319-2 or 18474-7 with a LOINC score answer). "
                "The setting is read from an M1 TNM category, an mCODE secondary cancer "
                "condition or a post-neoadjuvant (yp) pathological category; the response to "
                "trastuzumab from mCODE CancerDiseaseStatus (97509-4) while trastuzumab "
                "(RxNorm) is ongoing. When they cannot be read, send them in context.profile "
                "(case-profile contract fields), which always takes precedence."
            ),
        }
    ]
}


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
        _screen(value)
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


CDS_REQUEST_EXAMPLE = OpenApiExample(
    "A patient-view call with the contract's example profile",
    value={
        "hook": HOOK,
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {
            "userId": "Practitioner/example",
            "patientId": "example",
            "profile": EXAMPLE_PROFILE,
        },
    },
    request_only=True,
)


class DiscoveryView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: CdsDiscoverySerializer})
    def get(self, request):
        return Response(DISCOVERY)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The service lacks data it needs."
    default_code = "precondition_failed"
    problem_type = problems.PRECONDITION


class ServiceView(APIView):
    """Answer a patient-view hook with cards; 412 when the profile cannot be assembled."""

    authentication_classes = AUTHENTICATION

    @extend_schema(
        request=CdsHookCallSerializer,
        responses={
            200: CdsResponseSerializer,
            404: OpenApiResponse(description="No stored case with that caseCode."),
            412: OpenApiResponse(
                description="Facts the service needs are missing; `detail` names them."
            ),
        },
        examples=[CDS_REQUEST_EXAMPLE],
    )
    def post(self, request):
        body = CdsHookCallSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        context, prefetch = body.validated_data["context"], body.validated_data.get("prefetch")
        knowledge_base = knowledge_base_published()
        case, case_url, overridden = None, None, []
        if context.get("caseCode"):
            if not request.user.has_perm("cases.view_caseprofile"):
                raise exceptions.PermissionDenied("Reading a stored case needs case access.")
            case = get_object_or_404(CaseProfile, code=str(context["caseCode"]))
            due = proposal_due(user=request.user, case=case)
            if due is not None:
                raise exceptions.PermissionDenied(propose_first_message(due, case))
            profile = case.as_profile()
            case_url = request.build_absolute_uri(case.get_absolute_url())
        else:
            try:
                profile, _, overridden = cds_profile_assemble(
                    context=context,
                    prefetch=prefetch or {},
                    marker_scales=knowledge_base.marker_scales,
                )
            except ProfileIncomplete as exc:
                raise PreconditionFailed(str(exc)) from None
            except MixedPatients as exc:
                raise exceptions.ValidationError({"prefetch": [str(exc)]}) from None
            except ValidationError as exc:
                raise exceptions.ValidationError(exc.message_dict) from None
        payload = profile_evaluate(profile=profile, knowledge_base=knowledge_base)
        cards = cds_cards_build(
            payload=payload,
            case=case,
            case_url=case_url,
            hook_instance=body.validated_data["hookInstance"],
            overridden=overridden,
        )
        return Response({"cards": cards})


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


class FeedbackView(APIView):
    """Record whether cards were accepted or overridden, and why (shown to curators)."""

    authentication_classes = AUTHENTICATION

    @extend_schema(
        request=FeedbackSerializer,
        responses={
            200: FeedbackRecordedSerializer,
            404: OpenApiResponse(description="A card this service never issued."),
        },
    )
    def post(self, request):
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            recorded = cds_feedback_record(items=body.validated_data["feedback"], user=request.user)
        except CdsCard.DoesNotExist as exc:
            raise exceptions.NotFound(str(exc)) from None
        return Response({"recorded": recorded})
