"""API for case profiles and the marker catalogue (/api/v1/cases/, /api/v1/markers/).

Thin viewsets: input goes through cases.profile.profile_clean (the contract's strict
validation) and writes through cases.services, exactly as the admin and forms do.
"""

from collections.abc import Mapping
from functools import cached_property

import django_filters
from django.core.exceptions import ValidationError
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from cases import choices
from cases.models import CaseProfile, Marker
from cases.profile import NOTES_MAX_LENGTH, profile_clean
from cases.selectors import case_creator_name, case_list, marker_scales_get
from cases.services import case_create, case_delete, case_update


def version_required(value) -> int:
    """The version an update is based on; required so no write silently overwrites another."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise serializers.ValidationError(
            {"version": ["Required: the version you read (an integer), so that a change made "
                         "meanwhile by someone else is not overwritten."]}
        )  # fmt: skip
    return value


class MarkerSerializer(serializers.ModelSerializer):
    values = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Marker
        fields = ["code", "name", "scale", "values", "description"]


_CODE_PLACEHOLDER = "TB-CODE"


class CaseProfileSerializer(serializers.Serializer):
    """The contract's profile plus code, her2_status, timestamps and the web page."""

    code = serializers.CharField(read_only=True)
    her2_status = serializers.ChoiceField(choices=choices.Her2Status.choices, read_only=True)
    tumour_site = serializers.ChoiceField(choices=choices.TumourSite.choices, required=False)
    setting = serializers.ChoiceField(choices=choices.Setting.choices)
    age_band = serializers.ChoiceField(
        choices=choices.AgeBand.choices, required=False, allow_null=True
    )
    trastuzumab_response = serializers.ChoiceField(choices=choices.TrastuzumabResponse.choices)
    prior_therapies = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.Therapy.choices), required=False
    )
    brain_metastases = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    her2_ihc = serializers.ChoiceField(choices=choices.Her2Ihc.choices)
    her2_ish = serializers.ChoiceField(choices=choices.Her2Ish.choices, required=False)
    her2_heterogeneity = serializers.ChoiceField(
        choices=choices.Her2Heterogeneity.choices, required=False
    )
    her2_positive_fraction = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    er = serializers.ChoiceField(choices=choices.ReceptorStatus.choices, required=False)
    pr = serializers.ChoiceField(choices=choices.ReceptorStatus.choices, required=False)
    pik3ca = serializers.ChoiceField(choices=choices.Pik3ca.choices, required=False)
    pten = serializers.ChoiceField(choices=choices.Pten.choices, required=False)
    markers = serializers.DictField(child=serializers.CharField(), required=False)
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
    def _web_url_parts(self) -> tuple[str, str]:
        # Addresses differ only by code; resolving one per case was a fifth of a case list.
        request = self.context.get("request")
        url = CaseProfile(code=_CODE_PLACEHOLDER).get_absolute_url()
        url = request.build_absolute_uri(url) if request else url
        prefix, _, suffix = url.rpartition(_CODE_PLACEHOLDER)
        return prefix, suffix

    def to_representation(self, case: CaseProfile) -> dict:
        # DRF's generic path (a lookup and a conversion per field, 23 fields) was most of the
        # case list's time at 50 cases a page. The stored values already are what the API
        # shows, so they are copied; tests check the result equals the generic rendering.
        data = {name: getattr(case, name) for name in _AS_STORED}
        data["prior_therapies"] = list(case.prior_therapies)
        data["markers"] = dict(case.markers)
        data["created_by"] = case_creator_name(case)
        timestamp = self.fields["created_at"].to_representation
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


_FIELD_ORDER = tuple(CaseProfileSerializer._declared_fields)
_AS_STORED = tuple(
    name
    for name in _FIELD_ORDER
    if name
    not in {"prior_therapies", "markers", "created_by", "created_at", "updated_at", "web_url"}
)


class CaseFilter(django_filters.FilterSet):
    her2_status = django_filters.ChoiceFilter(choices=choices.Her2Status.choices)
    setting = django_filters.ChoiceFilter(choices=choices.Setting.choices)
    trastuzumab_response = django_filters.ChoiceFilter(choices=choices.TrastuzumabResponse.choices)
    marker = django_filters.CharFilter(method="filter_marker", label="Marker code (tested)")
    marker_result = django_filters.CharFilter(method="filter_marker", label="Result of `marker`")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only cases I created")

    class Meta:
        model = CaseProfile
        fields = ["her2_status", "setting", "trastuzumab_response"]

    def filter_marker(self, queryset, name, value):
        code = self.form.cleaned_data.get("marker")
        result = self.form.cleaned_data.get("marker_result")
        if not code:
            return queryset
        if code not in marker_scales_get():
            return queryset.none()
        if result:
            return queryset.filter(**{f"markers__{code}": result})
        return queryset.filter(markers__has_key=code)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(created_by=self.request.user) if value else queryset


class CasePermission(permissions.DjangoModelPermissions):
    """Model permissions from the groups; changes only by the case's creator (or staff)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return obj.created_by_id == request.user.pk or request.user.is_superuser


class CaseViewSet(viewsets.ModelViewSet):
    serializer_class = CaseProfileSerializer
    filterset_class = CaseFilter
    permission_classes = [CasePermission]
    lookup_field = "code"
    queryset = case_list()

    def perform_create(self, serializer):
        serializer.instance = case_create(data=serializer.validated_data, user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = case_update(
            case=serializer.instance,
            data=serializer.validated_data,
            expected_version=serializer.expected_version,
        )

    def perform_destroy(self, instance):
        case_delete(case=instance)


class MarkerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Marker.objects.all()
    serializer_class = MarkerSerializer
    lookup_field = "code"
    pagination_class = None


class TokenObtainView(ObtainAuthToken):
    """Exchange username and password for an API token (guarded by django-axes)."""

    throttle_classes = [AnonRateThrottle]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            # django-axes refuses locked-out credentials before checking them; say so.
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                return Response(
                    {"detail": "Too many failed sign-ins: this account is locked for a while."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
