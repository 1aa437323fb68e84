"""API for case profiles and the marker catalogue (/api/v1/cases/, /api/v1/markers/).

Thin viewsets: input goes through cases.profile.profile_clean (the contract's strict
validation), writes through cases.services, filters through cases.filtersets, exactly as
the admin and the web pages do.
"""

from rest_framework import permissions, viewsets

from cases.api.serializers import CaseProfileSerializer, MarkerSerializer
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


class CaseViewSet(viewsets.ModelViewSet):
    serializer_class = CaseProfileSerializer
    filterset_class = CaseFilterSet
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
