"""Reads for case profiles and the marker catalogue."""

from django.db.models import F, QuerySet

from cases.choices import AssayStatus
from cases.models import CaseProfile, Marker
from core.queries import raw_compiled


def marker_scales_get() -> dict[str, tuple[str, ...]]:
    """Catalogue code -> the results its scale accepts (one query)."""
    return {
        code: Marker(scale=scale).values
        for code, scale in Marker.objects.values_list("code", "scale")
    }


def marker_catalogue_get() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(catalogue code -> the results its scale accepts, codes of standard assays): one
    query."""
    scales, standard = {}, set()
    for code, scale, assay_status in Marker.objects.values_list("code", "scale", "assay_status"):
        scales[code] = Marker(scale=scale).values
        if assay_status == AssayStatus.STANDARD:
            standard.add(code)
    return scales, frozenset(standard)


def case_list(*, her2_status: str | None = None, created_by=None) -> QuerySet[CaseProfile]:
    queryset = case_creator_names(CaseProfile.objects.all())
    if her2_status:
        queryset = queryset.filter(her2_status=her2_status)
    if created_by is not None:
        queryset = queryset.filter(created_by=created_by)
    return queryset


def case_creator_names(queryset: QuerySet[CaseProfile]) -> QuerySet[CaseProfile]:
    """The cases with their creators' names. Lists show only the name: a join fetching
    whole user rows cost more than the rest of a 50-case API page."""
    return queryset.annotate(created_by_username=F("created_by__username"))


def case_creator_name(case: CaseProfile) -> str | None:
    """Who created the case: annotated by case_list, else read through the relation."""
    if hasattr(case, "created_by_username"):
        return case.created_by_username
    return case.created_by.get_username() if case.created_by_id else None


def _case_by_code(*, code: str) -> QuerySet[CaseProfile]:
    return CaseProfile.objects.filter(code=code)


def case_get(*, code: str) -> CaseProfile | None:
    """The case with this code, or None; its SQL compiled once (core.queries), as the
    case page and print view ask on every request."""
    return next(iter(raw_compiled(_case_by_code, code=code)), None)
