"""Serializers of case profiles and the marker catalogue; profile fields come from the contract.

Validation is not DRF's: `to_internal_value` hands the body to cases.profile.profile_clean,
the contract's strict check (unknown and read-only fields refused). The declared fields
document the API (OpenAPI schema) and render responses.
"""

from collections.abc import Mapping
from functools import cached_property

from django.core.exceptions import ValidationError
from rest_framework import serializers

from cases import choices, contract
from cases.models import CaseProfile, Marker
from cases.profile import profile_clean
from cases.selectors import case_creator_name, marker_scales_get
from core.concurrency import version_required


class MarkerSerializer(serializers.ModelSerializer):
    values = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Marker
        fields = ["code", "name", "scale", "values", "description", "assay_status", "assay_reason"]


def contract_serializer_field(spec: contract.FieldSpec) -> serializers.Field:
    """The API field of a contract field."""
    common = {"help_text": spec.help or None, "label": spec.label}
    if spec.derived:
        return serializers.ChoiceField(
            choices=choices.FIELD_CHOICES[spec.name].choices, read_only=True, **common
        )
    required = {"required": spec.required}
    if spec.kind == "choice":
        return serializers.ChoiceField(
            choices=choices.FIELD_CHOICES[spec.name].choices,
            allow_null=spec.optional,
            **required,
            **common,
        )
    if spec.kind == "choices":
        child = serializers.ChoiceField(choices=choices.FIELD_CHOICES[spec.name].choices)
        return serializers.ListField(child=child, **required, **common)
    if spec.kind == "bool":
        return serializers.BooleanField(**required, **common)
    if spec.kind == "text":
        return serializers.CharField(
            allow_blank=True, max_length=contract.NOTES_MAX_LENGTH, **required, **common
        )
    if spec.kind == "percent":
        return serializers.IntegerField(
            min_value=0, max_value=100, allow_null=True, **required, **common
        )
    if spec.kind == "markers":
        return serializers.DictField(child=serializers.CharField(), **required, **common)
    raise ValueError(f"No serializer field for contract field kind {spec.kind!r}")


ContractSerializer = type(
    "ContractSerializer",
    (serializers.Serializer,),
    {
        # The contract refuses unknown fields (400); the schema says so (core.schema).
        "refuses_unknown_fields": True,
        "code": serializers.CharField(read_only=True),
        **{
            spec.name: contract_serializer_field(spec)
            for spec in (contract.HER2_STATUS, *contract.FIELDS)
        },
    },
)

_CODE_PLACEHOLDER = "TB-000000"


class CaseProfileSerializer(ContractSerializer):
    """The contract's profile plus code, her2_status, timestamps and the web page."""

    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text="Send it back with every update: a stale version answers 409 Conflict.",
    )
    web_url = serializers.SerializerMethodField()

    def get_created_by(self, case: CaseProfile) -> str | None:
        return case_creator_name(case)

    def get_web_url(self, case: CaseProfile) -> str:
        prefix, suffix = self._web_url_parts
        return f"{prefix}{case.code}{suffix}"

    @cached_property
    def _timestamp(self):
        """Timestamps as DRF's DateTimeField writes them (ISO 8601, "Z" for UTC), with the
        field's time zone looked up once a serializer, not twice a case (the lookup cost
        more than the writing). Reaching the serializer's own fields (self.fields) would
        deep-copy every declared field on every request."""
        field = serializers.DateTimeField(read_only=True)
        field.timezone = field.default_timezone()
        return field.to_representation

    @cached_property
    def _web_url_parts(self) -> tuple[str, str]:
        # Addresses differ only by code: resolve one, then fill in each case's code.
        request = self.context.get("request")
        url = CaseProfile(code=_CODE_PLACEHOLDER).get_absolute_url()
        url = request.build_absolute_uri(url) if request else url
        prefix, _, suffix = url.rpartition(_CODE_PLACEHOLDER)
        return prefix, suffix

    def to_representation(self, case: CaseProfile) -> dict:
        # The stored values already are what the API shows, so they are copied instead of
        # going through DRF's per-field conversion; tests check the result equals DRF's own
        # rendering (benchmarks/ has the figures).
        data = {name: getattr(case, name) for name in _AS_STORED}
        data["prior_therapies"] = list(case.prior_therapies)
        data["markers"] = dict(case.markers)
        data["created_by"] = case_creator_name(case)
        timestamp = self._timestamp
        data["created_at"] = timestamp(case.created_at)
        data["updated_at"] = timestamp(case.updated_at)
        data["web_url"] = self.get_web_url(case)
        return {name: data[name] for name in _FIELD_ORDER}

    def to_internal_value(self, data):
        if self.instance is not None and isinstance(data, Mapping):
            data = dict(data)
            self.expected_version = version_required(data.pop("version", None))
        # The contract's own validation, strict about unknown and read-only fields.
        try:
            return profile_clean(
                data=data,
                marker_scales=marker_scales_get(),
                partial_of=self.instance.as_profile() if self.partial and self.instance else None,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from None


class CaseProfileUpdateSerializer(CaseProfileSerializer):
    """A case update as the API takes it (documentation of PUT and PATCH bodies)."""

    always_required = ("version",)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale one answers 409."
    )


_FIELD_ORDER = tuple(CaseProfileSerializer._declared_fields)
_AS_STORED = tuple(
    name
    for name in _FIELD_ORDER
    if name
    not in {"prior_therapies", "markers", "created_by", "created_at", "updated_at", "web_url"}
)
