"""API views of evaluations: a posted profile, a stored case, and a case's snapshots."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from board.api.serializers import SnapshotSerializer
from board.fhir.reading import MixedPatients, fhir_profile_read
from board.models import EvaluationSnapshot
from board.snapshots import snapshot_create
from board.training import proposal_due, proposal_due_for_facts, propose_first_message
from cases.api.serializers import CaseProfileSerializer
from cases.api.views import PROFILE_EXAMPLE
from cases.models import CaseProfile
from cases.profile import profile_clean
from core.notices import DISCLAIMER_SHORT
from core.parsers import FhirJSONParser, SafeJSONParser
from core.permissions import ModelPermissionsByMethod
from rules.api.serializers import ChangesSerializer, EvaluationSerializer
from rules.evaluation import evaluation_changes, profile_evaluate
from rules.knowledge_base import knowledge_base_published


class EvaluateView(APIView):
    """Evaluate a contract profile against the published knowledge base; nothing is stored."""

    @extend_schema(
        request=CaseProfileSerializer,
        responses={200: EvaluationSerializer},
        examples=[PROFILE_EXAMPLE],
    )
    def post(self, request):
        knowledge_base = knowledge_base_published()
        profile = profile_clean(data=request.data, marker_scales=knowledge_base.marker_scales)
        owed = proposal_due_for_facts(user=request.user, profile=profile)
        if owed is not None:  # the facts of a case the user owes a proposal for
            raise exceptions.PermissionDenied(propose_first_message(*owed))
        return Response(profile_evaluate(profile=profile, knowledge_base=knowledge_base))


# Reading a stored case's evaluation, snapshots or changes needs the right to read cases;
# taking a snapshot also needs the right to take one (core.roles).
CASE_READING = {"GET": ["cases.view_caseprofile"]}
CASE_PERMISSIONS = [permissions.IsAuthenticated, ModelPermissionsByMethod]


def propose_first_check(request, case: CaseProfile) -> None:
    """403 with the reason while the user owes a proposal for this case (board.training)."""
    due = proposal_due(user=request.user, case=case)
    if due is not None:
        raise exceptions.PermissionDenied(propose_first_message(due, case))


class CaseEvaluationView(APIView):
    """The current evaluation of a stored case."""

    permission_classes = CASE_PERMISSIONS
    required_perms = CASE_READING

    @extend_schema(responses={200: EvaluationSerializer})
    def get(self, request, code: str):
        case = get_object_or_404(CaseProfile, code=code)
        propose_first_check(request, case)
        return Response(profile_evaluate(profile=case.as_profile()))


class CaseSnapshotsView(generics.ListCreateAPIView):
    """Stored evaluations of a case; POST takes one now, pinned to the knowledge-base version."""

    serializer_class = SnapshotSerializer
    queryset = EvaluationSnapshot.objects.none()  # schema only; see get_queryset
    permission_classes = CASE_PERMISSIONS
    required_perms = {
        **CASE_READING,
        "POST": ["cases.view_caseprofile", "board.add_evaluationsnapshot"],
    }

    def get_case(self) -> CaseProfile:
        case = get_object_or_404(CaseProfile, code=self.kwargs["code"])
        propose_first_check(self.request, case)
        return case

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return EvaluationSnapshot.objects.filter(case=self.get_case()).select_related("created_by")

    @extend_schema(request=None, responses={201: SnapshotSerializer})
    def post(self, request, code: str):
        snapshot = snapshot_create(case=self.get_case(), user=request.user)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class CaseChangesView(APIView):
    """What changed between a stored snapshot and the current evaluation."""

    permission_classes = CASE_PERMISSIONS
    required_perms = CASE_READING

    @extend_schema(responses={200: ChangesSerializer})
    def get(self, request, code: str, pk: int):
        snapshot = get_object_or_404(EvaluationSnapshot, case__code=code, pk=pk)
        propose_first_check(request, snapshot.case)
        current = profile_evaluate(profile=snapshot.case.as_profile())
        return Response(evaluation_changes(before=snapshot.payload, after=current))


class FhirProfileSerializer(serializers.Serializer):
    profile = serializers.DictField(help_text="The contract facts read (only those found).")
    sources = serializers.DictField(help_text="Per fact, the resources it was read from.")
    ignored = serializers.ListField(child=serializers.DictField(), help_text="{resource, why}")
    notes = serializers.ListField(child=serializers.CharField())


class FhirProfileView(APIView):
    """Read contract facts from FHIR R4 resources (the reader the CDS service uses)."""

    parser_classes = [SafeJSONParser, FhirJSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "patient", str, description="Patient/ID: resources about anyone else are ignored"
            )
        ],
        request={
            media: {
                "description": "A FHIR Bundle, or a JSON list of FHIR resources.",
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["resourceType"],
                        "properties": {
                            "resourceType": {"type": "string", "enum": ["Bundle"]},
                            "entry": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["resourceType"],
                            "properties": {"resourceType": {"type": "string"}},
                        },
                    },
                ],
            }
            for media in ("application/json", "application/fhir+json")
        },
        responses={200: FhirProfileSerializer},
    )
    def post(self, request):
        patient = request.query_params.get("patient") or None
        if patient is not None and not patient.startswith(("Patient/", "urn:")):
            raise exceptions.ValidationError({"patient": ["Patient/ID, e.g. Patient/123."]})
        try:
            reading = fhir_profile_read(request.data, patient=patient)
        except MixedPatients as exc:
            raise exceptions.ValidationError({"patient": [str(exc)]}) from None
        return Response({**reading.as_dict(), "disclaimer": DISCLAIMER_SHORT})
