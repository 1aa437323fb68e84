"""Serializers of the knowledge base and of evaluation payloads (explicit fields throughout)."""

from rest_framework import serializers

from rules.choices import EvidenceLevel, RuleKind, RuleStatus
from rules.models import Mechanism, Reference, Rule, Strategy


class ReferenceSerializer(serializers.ModelSerializer):
    doi_url = serializers.CharField(read_only=True)
    pubmed_url = serializers.CharField(read_only=True)

    class Meta:
        model = Reference
        fields = [
            "key", "label", "authors", "year", "title", "journal", "volume", "issue", "pages",
            "doi", "doi_url", "pmid", "pubmed_url", "retracted", "caveats",
        ]  # fmt: skip


class MechanismSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mechanism
        fields = ["slug", "name", "description", "position"]


class StrategySerializer(serializers.ModelSerializer):
    agents = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Strategy
        fields = ["slug", "name", "agents", "description"]


class RuleSerializer(serializers.ModelSerializer):
    mechanism = serializers.SlugRelatedField(slug_field="slug", queryset=Mechanism.objects.all())
    strategy = serializers.SlugRelatedField(
        slug_field="slug", queryset=Strategy.objects.all(), allow_null=True, required=False
    )
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    status = serializers.ChoiceField(choices=RuleStatus.choices, required=False)
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices)
    citations = serializers.ListField(child=serializers.CharField())
    examples = serializers.ListField(child=serializers.DictField(), required=False)

    class Meta:
        model = Rule
        fields = [
            "slug", "title", "kind", "status", "mechanism", "strategy", "evidence_level",
            "condition", "rationale", "citations", "examples", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["updated_at", "version"]


class CitationSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    authors = serializers.CharField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    journal = serializers.CharField()
    volume = serializers.CharField(allow_blank=True)
    issue = serializers.CharField(allow_blank=True)
    pages = serializers.CharField(allow_blank=True)
    doi = serializers.CharField(allow_null=True)
    doi_url = serializers.CharField(allow_null=True)
    pmid = serializers.CharField(allow_null=True)
    pubmed_url = serializers.CharField(allow_null=True)
    retracted = serializers.BooleanField()
    retraction_notice = serializers.CharField(required=False)


class EvidenceMappingSerializer(serializers.Serializer):
    civic = serializers.CharField()
    amp_asco_cap = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    mechanism = serializers.CharField()
    strategy = serializers.CharField(allow_null=True)
    agents = serializers.ListField(child=serializers.CharField())
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices)
    evidence_label = serializers.CharField()
    evidence_mapping = EvidenceMappingSerializer()
    rationale = serializers.CharField()
    matched_facts = serializers.DictField()
    citations = CitationSerializer(many=True)
    cites_retracted_source = serializers.BooleanField()


class SuggestedTestSerializer(serializers.Serializer):
    fact = serializers.CharField()
    why = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())


class EvaluationSerializer(serializers.Serializer):
    """The contract's evaluation payload (documentation of the response)."""

    disclaimer = serializers.CharField()
    knowledge_base_version = serializers.CharField()
    her2_status = serializers.CharField()
    her2_status_source = serializers.CharField()
    in_scope = serializers.BooleanField()
    recommendations = RecommendationSerializer(many=True)
    suggested_tests = SuggestedTestSerializer(many=True)


class ChangesSerializer(serializers.Serializer):
    knowledge_base_changed = serializers.BooleanField()
    added = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(child=serializers.CharField())
