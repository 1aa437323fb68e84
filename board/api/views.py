"""API views of evaluations: a posted profile, a stored case, and a case's snapshots."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from board.api.serializers import SnapshotSerializer
from board.models import EvaluationSnapshot
from board.snapshots import snapshot_create
from cases.api.serializers import CaseProfileSerializer
from cases.models import CaseProfile
from cases.profile import profile_clean
from rules.api.serializers import ChangesSerializer, EvaluationSerializer
from rules.evaluation import evaluation_changes, profile_evaluate
from rules.knowledge_base import knowledge_base_published


class EvaluateView(APIView):
    """Evaluate a contract profile against the published knowledge base; nothing is stored."""

    @extend_schema(request=CaseProfileSerializer, responses={200: EvaluationSerializer})
    def post(self, request):
        knowledge_base = knowledge_base_published()
        profile = profile_clean(data=request.data, marker_scales=knowledge_base.marker_scales)
        return Response(profile_evaluate(profile=profile, knowledge_base=knowledge_base))


class CaseEvaluationView(APIView):
    """The current evaluation of a stored case."""

    @extend_schema(responses={200: EvaluationSerializer})
    def get(self, request, code: str):
        case = get_object_or_404(CaseProfile, code=code)
        return Response(profile_evaluate(profile=case.as_profile()))


class CaseSnapshotsView(generics.ListCreateAPIView):
    """Stored evaluations of a case; POST takes one now, pinned to the knowledge-base version."""

    serializer_class = SnapshotSerializer
    queryset = EvaluationSnapshot.objects.none()  # schema only; see get_queryset

    def get_case(self) -> CaseProfile:
        return get_object_or_404(CaseProfile, code=self.kwargs["code"])

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

    @extend_schema(responses={200: ChangesSerializer})
    def get(self, request, code: str, pk: int):
        snapshot = get_object_or_404(EvaluationSnapshot, case__code=code, pk=pk)
        current = profile_evaluate(profile=snapshot.case.as_profile())
        return Response(evaluation_changes(before=snapshot.payload, after=current))
