"""API views: evaluation, snapshots and the knowledge base. Logic lives in services/selectors."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api import CaseProfileSerializer, version_required
from cases.models import CaseProfile
from cases.profile import profile_clean
from rules.api.serializers import (
    ChangesSerializer,
    EvaluationSerializer,
    MechanismSerializer,
    ReferenceSerializer,
    RuleSerializer,
    SnapshotSerializer,
    StrategySerializer,
)
from rules.choices import RuleStatus
from rules.models import EvaluationSnapshot, Mechanism, Reference, Rule, Strategy
from rules.selectors import evaluation_changes, knowledge_base_published, profile_evaluate
from rules.services import rule_save, snapshot_create


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


class KnowledgeBasePermission(permissions.DjangoModelPermissions):
    """Every signed-in user reads; writes need the curator's model permissions."""


class RuleViewSet(viewsets.ModelViewSet):
    """Rules; curators write them with the admin's checks, history and draft/publish rules."""

    serializer_class = RuleSerializer
    permission_classes = [KnowledgeBasePermission]
    lookup_field = "slug"
    queryset = Rule.objects.select_related("mechanism", "strategy")
    filterset_fields = ["status", "kind", "evidence_level"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.user.has_perm("rules.change_rule"):
            queryset = queryset.filter(status=RuleStatus.PUBLISHED)
        return queryset

    def _save(self, serializer, instance: Rule, expected_version: int | None = None):
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        try:
            serializer.instance = rule_save(rule=instance, expected_version=expected_version)
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def perform_create(self, serializer):
        self._save(serializer, Rule())

    def perform_update(self, serializer):
        data = self.request.data if isinstance(self.request.data, dict) else {}
        self._save(serializer, serializer.instance, version_required(data.get("version")))


class StrategyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Strategy.objects.all()
    serializer_class = StrategySerializer
    lookup_field = "slug"


class MechanismViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Mechanism.objects.all()
    serializer_class = MechanismSerializer
    lookup_field = "slug"


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Reference.objects.all()
    serializer_class = ReferenceSerializer
    lookup_field = "key"
    filterset_fields = ["retracted", "year"]
