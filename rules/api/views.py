"""API views of the knowledge base (/api/v1/rules/, strategies/, mechanisms/, references/).

Curators write rules with the admin's checks (rules.curation); everyone signed in reads.
"""

from django.core.exceptions import ValidationError
from rest_framework import exceptions, permissions, viewsets

from core.concurrency import version_required
from rules.api.serializers import (
    MechanismSerializer,
    ReferenceSerializer,
    RuleSerializer,
    StrategySerializer,
)
from rules.choices import RuleStatus
from rules.curation import rule_save
from rules.models import Mechanism, Reference, Rule, Strategy


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
        data = dict(serializer.validated_data)
        reason = data.pop("change_reason", "").strip()
        instance._change_reason = reason or f"through the API by {self.request.user}"
        for name, value in data.items():
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
