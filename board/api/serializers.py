"""Serializers of board records: evaluation snapshots."""

from rest_framework import serializers

from board.models import EvaluationSnapshot
from rules.api.serializers import EvaluationSerializer


class SnapshotSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="null once the author's account is deleted.",
    )
    evaluation = EvaluationSerializer(source="payload", read_only=True)

    class Meta:
        model = EvaluationSnapshot
        fields = [
            "id",
            "knowledge_base_version",
            "knowledge_base_release",
            "created_at",
            "created_by",
            "evaluation",
        ]
        read_only_fields = fields
