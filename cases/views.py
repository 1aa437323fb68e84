"""Site pages owned by the cases app: the home page, a case's profile and a health check."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from cases.her2 import HER2_STATUS_SOURCES
from cases.models import CaseProfile
from cases.selectors import case_list


def home(request):
    recent = case_list(created_by=request.user)[:10] if request.user.is_authenticated else []
    return render(request, "home.html", {"recent_cases": recent})


def health(request):
    return JsonResponse({"status": "ok"})


@login_required
def case_detail(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "her2_source": HER2_STATUS_SOURCES[case.her2_status]},
    )
