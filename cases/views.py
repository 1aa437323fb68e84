"""Case pages that need no knowledge base: the case list and the live HER2-status preview.

The case page, form and print view show the engine, so they live in `board`.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cases import choices
from cases.filtersets import CaseFilterSet
from cases.her2 import HER2_STATUS_SOURCES, her2_status_derive
from cases.models import CaseProfile
from cases.selectors import case_creator_names
from core.paginator import CappedPaginator

CASES_PER_PAGE = 25
# What a row shows (cases.templatetags.case_rows): the rest of a case (markers, notes,
# prior therapies as JSON) was most of the rows' cost to read.
ROW_FIELDS = ("code", "her2_status", "setting", "trastuzumab_response", "updated_at")


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_index(request):
    filterset = CaseFilterSet(
        request.GET or None, queryset=CaseProfile.objects.all(), request=request
    )
    # Counted without the authors' names (a join the count does not need).
    paginator = CappedPaginator(
        case_creator_names(filterset.qs.only(*ROW_FIELDS)), CASES_PER_PAGE, counted=filterset.qs
    )
    page = paginator.get_page(request.GET.get("page"))
    # Case addresses differ only by code: resolved once, not once a row.
    stand_in = "TB-000000"
    prefix = reverse("case-detail", kwargs={"code": stand_in}).removesuffix(f"{stand_in}/")
    context = {"page": page, "filter": filterset, "case_url_prefix": prefix}
    return render(request, "cases/list.html", context)


@require_GET
def her2_status_preview(request):
    """What the form shows as IHC/ISH change; the same function the server stores."""
    ihc, ish = request.GET.get("ihc", ""), request.GET.get("ish", "not_done")
    if ihc not in choices.Her2Ihc.values or ish not in choices.Her2Ish.values:
        return JsonResponse({"status": None, "label": "Choose IHC and ISH", "source": ""})
    status = her2_status_derive(ihc=ihc, ish=ish)
    return JsonResponse(
        {
            "status": status,
            "label": choices.Her2Status(status).label,
            "source": HER2_STATUS_SOURCES[status],
        }
    )
