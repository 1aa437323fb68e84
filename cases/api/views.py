"""API for case profiles and the marker catalogue (/api/v1/cases/, /api/v1/markers/).

Thin viewsets: input goes through cases.profile.profile_clean (the contract's strict
validation), writes through cases.services, filters through cases.filtersets, exactly as
the admin and the web pages do.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import pagination, permissions, viewsets

from cases import contract
from cases.api.serializers import (
    CaseProfileSerializer,
    CaseProfileUpdateSerializer,
    MarkerSerializer,
)
from cases.converters import CASE_CODE_REGEX
from cases.filtersets import CaseFilterSet
from cases.models import Marker
from cases.selectors import case_list
from cases.services import case_create, case_delete, case_update
from core.roles import object_may_change


class CasePermission(permissions.DjangoModelPermissions):
    """Model permissions from the roles table; changes only by the case's author (core.roles)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return object_may_change(request.user, obj)


class CasePagination(pagination.CursorPagination):
    """Keyset pages over the newest-first index (created_at, id): no COUNT(*) over a table
    that may hold millions of cases, and a page costs the same wherever it is. Follow
    `next` and `previous`; filters stay in the links."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        # DRF's own examples end in a stray quote, which is no URI (Spectral refuses it).
        for name in ("next", "previous"):
            described["properties"][name]["example"] = (
                "https://her2-board.example/api/v1/cases/?cursor=cD0yMDI2LTExLTMw"
            )
        return described


# Swagger's "Try it out" starts from the contract's example profile.
PROFILE_EXAMPLE = OpenApiExample(
    "The contract's example profile", value=contract.EXAMPLE_PROFILE, request_only=True
)
UPDATE_EXAMPLE = OpenApiExample(
    "The contract's example profile, at version 1",
    value={**contract.EXAMPLE_PROFILE, "version": 1},
    request_only=True,
)
PATCH_EXAMPLE = OpenApiExample(
    "PTEN found lost", value={"pten": "lost", "version": 1}, request_only=True
)


@extend_schema_view(
    create=extend_schema(examples=[PROFILE_EXAMPLE]),
    update=extend_schema(
        request=CaseProfileUpdateSerializer,
        responses={200: CaseProfileSerializer},
        examples=[UPDATE_EXAMPLE],
    ),
    partial_update=extend_schema(
        request=CaseProfileUpdateSerializer,
        responses={200: CaseProfileSerializer},
        examples=[PATCH_EXAMPLE],
    ),
)
class CaseViewSet(viewsets.ModelViewSet):
    serializer_class = CaseProfileSerializer
    filterset_class = CaseFilterSet
    permission_classes = [CasePermission]
    pagination_class = CasePagination
    lookup_field = "code"
    lookup_value_regex = CASE_CODE_REGEX
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
