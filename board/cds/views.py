"""HL7 CDS Hooks 2.0: discovery, the her2-trastuzumab-resistance service and its feedback.

Views parse and answer (the bodies: board.cds.serializers); board.cds.service assembles
the profile and builds the cards.
Errors are JSON (400, 401, 404, 412, 413); CORS is configured for these paths only.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from board.cds.auth import CdsJwtAuthentication, IssuerThrottle
from board.cds.fhir_server import prefetch_complete
from board.cds.serializers import (
    CdsDiscoverySerializer,
    CdsHookCallSerializer,
    CdsResponseSerializer,
    FeedbackRecordedSerializer,
    FeedbackSerializer,
)
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
from board.models import CdsCard
from board.training import proposal_due, propose_first_message
from cases.contract import EXAMPLE_PROFILE
from cases.models import CaseProfile
from core import problems
from core.authentication import TokenAuthentication
from core.notices import DISCLAIMER_SHORT
from core.throttling import AnonThrottle
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published

AUTHENTICATION = [CdsJwtAuthentication, TokenAuthentication, SessionAuthentication]
THROTTLES = [AnonThrottle, IssuerThrottle]


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
                "staging": _observations(*codes.STAGING_LOINC),
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
                "trastuzumab from mCODE CancerDiseaseStatus (97509-4) recorded while trastuzumab "
                "(RxNorm) was being given, by their dates. When they cannot be read, send them "
                "in context.profile "
                "(case-profile contract fields), which always takes precedence."
            ),
        }
    ]
}


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
    throttle_classes = THROTTLES

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
            claims = request.auth if isinstance(request.auth, dict) else {}
            prefetch, fetching = prefetch_complete(
                call=body.validated_data,
                prefetch=prefetch or {},
                templates=DISCOVERY["services"][0]["prefetch"],
                issuer=claims.get("iss"),
            )
            try:
                profile, _, overridden = cds_profile_assemble(
                    context=context,
                    prefetch=prefetch,
                    marker_scales=knowledge_base.marker_scales,
                )
            except ProfileIncomplete as exc:
                raise PreconditionFailed(" ".join([str(exc), *fetching])) from None
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


class FeedbackView(APIView):
    """Record whether cards were accepted or overridden, and why (shown to curators)."""

    authentication_classes = AUTHENTICATION
    throttle_classes = THROTTLES

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
