"""Reads for case profiles and the marker catalogue."""

from django.db.models import QuerySet

from cases.models import CaseProfile, Marker


def marker_scales_get() -> dict[str, tuple[str, ...]]:
    """Catalogue code -> the results its scale accepts (one query)."""
    return {
        code: Marker(scale=scale).values
        for code, scale in Marker.objects.values_list("code", "scale")
    }


def case_list(*, her2_status: str | None = None, created_by=None) -> QuerySet[CaseProfile]:
    queryset = CaseProfile.objects.select_related("created_by")
    if her2_status:
        queryset = queryset.filter(her2_status=her2_status)
    if created_by is not None:
        queryset = queryset.filter(created_by=created_by)
    return queryset
