"""Serializers of the knowledge base and of evaluation payloads (explicit fields throughout)."""

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import Her2Status, Therapy
from cases.deid import control_characters_validate
from rules.choices import EvidenceLevel, RuleKind, RuleStatus
from rules.knowledge_base import knowledge_base_from_release, knowledge_base_published
from rules.models import Mechanism, Reference, Release, Rule, Strategy
from rules.translations import LANGUAGE, TRANSLATED, in_english, translated_name


class TranslatedSerializer(serializers.ModelSerializer):
    """A knowledge-base entry of the working copy: its own fields in English (the text of
    record), whatever the language asked for; asked for in Ukrainian, its status and text
    in Ukrainian as well."""

    section = ""  # the knowledge-base section (rules.translations.TRANSLATED)
    translation_status = serializers.SerializerMethodField(
        help_text="Asked for in Ukrainian (Accept-Language: uk): `reviewed` (the latest "
        "release holds this text, approved by a second curator), `unreviewed` (not yet "
        "approved, or changed since) or `missing`. Otherwise null."
    )

    def to_representation(self, instance):
        asked = translation.get_language()
        with in_english():
            data = super().to_representation(instance)
        if asked == LANGUAGE:
            data["translation_status"] = self._status(instance)
        return data

    def get_translation_status(self, instance) -> str | None:
        return None  # filled in by to_representation when asked in Ukrainian

    def _status(self, instance) -> str:
        texts = {n: getattr(instance, translated_name(n)) for n in TRANSLATED[self.section]}
        key = instance.key if self.section == "references" else instance.slug
        released = knowledge_base_published().translations
        return released.working_status(self.section, key, texts)


class ReferenceSerializer(TranslatedSerializer):
    doi_url = serializers.CharField(read_only=True)
    pubmed_url = serializers.CharField(read_only=True)
    caveats = serializers.ListField(child=serializers.CharField(), read_only=True)
    caveats_uk = serializers.SerializerMethodField(help_text="The caveats in Ukrainian.")
    section = "references"

    class Meta:
        model = Reference
        fields = [
            "key", "label", "authors", "year", "title", "journal", "volume", "issue", "pages",
            "doi", "doi_url", "pmid", "pubmed_url", "retracted", "caveats", "citation_notes",
            "caveats_uk", "translation_status",
        ]  # fmt: skip

    def get_caveats_uk(self, reference: Reference) -> list[str]:
        return list(reference.caveats_uk or [])


class ReleaseSerializer(serializers.ModelSerializer):
    published_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    changelog = serializers.ListField(
        child=serializers.CharField(), help_text="One line per change, with who and why."
    )
    version = serializers.SerializerMethodField(
        help_text="The content hash that evaluations made with this release carry."
    )

    class Meta:
        model = Release
        fields = ["name", "published_at", "published_by", "version", "changelog"]

    def get_version(self, release: Release) -> str:
        # The first release, made by a migration, stored no hash: it is computed from the
        # knowledge base it holds, as the release's page does.
        return release.version or knowledge_base_from_release(release).version


class MechanismSerializer(TranslatedSerializer):
    section = "mechanisms"

    class Meta:
        model = Mechanism
        fields = ["slug", "name", "description", "position", "name_uk", "translation_status"]


class StrategySerializer(TranslatedSerializer):
    section = "strategies"

    agents = serializers.ListField(child=serializers.CharField())
    therapies = serializers.ListField(
        child=serializers.ChoiceField(choices=Therapy.choices),
        required=False,
        help_text=Strategy._meta.get_field("therapies").help_text,
    )

    class Meta:
        model = Strategy
        fields = [
            "slug", "name", "agents", "therapies", "description", "name_uk", "translation_status",
        ]  # fmt: skip


class RuleSerializer(TranslatedSerializer):
    section = "rules"
    provenance_uk = serializers.SerializerMethodField(
        help_text="The quotes translated, in the same order (each with its paragraph); "
        "empty when none. Written in the admin."
    )

    mechanism = serializers.SlugRelatedField(slug_field="slug", queryset=Mechanism.objects.all())
    strategy = serializers.SlugRelatedField(
        slug_field="slug", queryset=Strategy.objects.all(), allow_null=True, required=False
    )
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    status = serializers.ChoiceField(choices=RuleStatus.choices, required=False)
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices)
    citations = serializers.ListField(child=serializers.CharField())
    condition = serializers.CharField(
        allow_blank=True, help_text=Rule._meta.get_field("condition").help_text
    )
    examples = serializers.ListField(child=serializers.DictField(), required=False)
    provenance = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text=Rule._meta.get_field("provenance").help_text,
    )
    change_reason = serializers.CharField(
        write_only=True,
        max_length=300,
        validators=[control_characters_validate],
        help_text="Required on every write: why this change. It is kept in the history, "
        "shown to the curator who reviews it, and listed in the next release's changelog.",
    )

    class Meta:
        model = Rule
        fields = [
            "slug", "title", "kind", "status", "mechanism", "strategy", "evidence_level",
            "condition", "rationale", "provenance", "citations", "examples", "updated_at",
            "version", "title_uk", "rationale_uk", "provenance_uk", "unreviewed_translation",
            "translation_status",
            "change_reason",
        ]  # fmt: skip
        read_only_fields = ["updated_at", "version"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_provenance_uk(self, rule: Rule) -> list[dict]:
        return list(rule.provenance_uk or [])


class RuleUpdateSerializer(RuleSerializer):
    """A rule update as the API takes it (documentation of PUT and PATCH bodies)."""

    always_required = ("version", "change_reason")
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale one answers 409."
    )


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
    caveats = serializers.ListField(
        child=serializers.CharField(),
        help_text="Short sentences on problems with this source (a content mismatch, a "
        "retraction, conflicting findings); empty when none.",
    )
    retraction_notice = serializers.CharField(required=False)


class QuoteSerializer(serializers.Serializer):
    quote = serializers.CharField(
        help_text="One or more whole sentences of the review, verbatim (whitespace aside)."
    )
    paragraph = serializers.IntegerField(
        min_value=1, help_text="The 1-based paragraph of the review's body text it is in."
    )


class ProfileWarningSerializer(serializers.Serializer):
    fields = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class EvidenceMappingSerializer(serializers.Serializer):
    civic = serializers.CharField()
    amp_asco_cap = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    kind_label = serializers.CharField()
    mechanism = serializers.CharField()
    mechanism_slug = serializers.CharField()
    strategy = serializers.CharField(allow_null=True)
    agents = serializers.ListField(child=serializers.CharField())
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices)
    evidence_label = serializers.CharField()
    evidence_mapping = EvidenceMappingSerializer()
    rationale = serializers.CharField()
    provenance = QuoteSerializer(many=True, help_text="What the review says: its own sentences.")
    already_given = serializers.ListField(
        child=serializers.ChoiceField(choices=Therapy.choices),
        help_text="Therapies this strategy gives that the profile lists as prior therapies; "
        "the title then begins 'Already given'.",
    )
    matched_facts = serializers.DictField()
    citations = CitationSerializer(many=True)
    cites_retracted_source = serializers.BooleanField()


class SuggestedTestSerializer(serializers.Serializer):
    fact = serializers.CharField(help_text="A contract field or a marker code.")
    label = serializers.CharField()
    why = serializers.CharField()
    adds = serializers.ListField(
        child=serializers.CharField(), help_text="Titles of items some result would add."
    )
    removes = serializers.ListField(
        child=serializers.CharField(), help_text="Titles of items some result would remove."
    )
    evidence_level = serializers.ChoiceField(
        choices=EvidenceLevel.choices, help_text="The strongest evidence among those items."
    )
    changes = serializers.ListField(
        child=serializers.DictField(), help_text="Per result: the rule slugs it would add or stop."
    )


class ResearchAssaySerializer(SuggestedTestSerializer):
    note = serializers.CharField()


class ReleaseSummarySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="e.g. 2026.2")
    published_at = serializers.DateTimeField()


class EvaluationSerializer(serializers.Serializer):
    """The contract's evaluation payload (documentation of the response)."""

    disclaimer = serializers.CharField()
    knowledge_base_version = serializers.CharField()
    knowledge_base_release = ReleaseSummarySerializer(
        allow_null=True, help_text="The dated release evaluated against."
    )
    her2_status = serializers.ChoiceField(choices=Her2Status.choices)
    her2_status_source = serializers.CharField()
    in_scope = serializers.BooleanField()
    recommendations = RecommendationSerializer(
        many=True, help_text="Strongest evidence first, then in the order of the review."
    )
    research_leads = RecommendationSerializer(
        many=True,
        help_text="Early, neoadjuvant and residual-disease settings: strategies below "
        "clinical-study evidence, not for curative-intent decisions. Empty when metastatic.",
    )
    suggested_tests = SuggestedTestSerializer(
        many=True,
        help_text="At most 5 standard tests (ER, PR, HER2 ISH, PIK3CA, PTEN, standard "
        "catalogue assays) whose result would change an item.",
    )
    research_assays = ResearchAssaySerializer(
        many=True, help_text="Research-status catalogue markers whose result would change an item."
    )
    profile_warnings = ProfileWarningSerializer(
        many=True, help_text="Valid but contradictory answers to re-check; never blocking."
    )
    skipped_rules = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Rules that could not be evaluated for this profile; only when some were.",
    )


class ChangesSerializer(serializers.Serializer):
    knowledge_base_changed = serializers.BooleanField()
    added = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(child=serializers.CharField())
