"""Home, case list, case form, case page, printable board summary, snapshots."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import choices
from cases.forms import CaseWebForm
from cases.her2 import HER2_STATUS_SOURCES, her2_status_derive
from cases.models import CaseProfile
from cases.selectors import case_list
from cases.services import StaleVersion, case_create, case_update
from rules.models import BoardSession
from rules.selectors import (
    case_snapshots_with_changes,
    knowledge_base_published,
    marker_groups_get,
    profile_evaluate,
    recommendations_by_mechanism,
)
from rules.services import snapshot_create

CASES_PER_PAGE = 25


def home(request):
    context = {"recent_cases": [], "open_sessions": []}
    if request.user.is_authenticated:
        context["recent_cases"] = case_list(created_by=request.user)[:10]
        context["open_sessions"] = BoardSession.objects.filter(is_open=True).select_related(
            "educator"
        )[:10]
    return render(request, "home.html", context)


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_index(request):
    queryset = case_list(her2_status=request.GET.get("her2_status") or None)
    if request.GET.get("setting") in choices.Setting.values:
        queryset = queryset.filter(setting=request.GET["setting"])
    if request.GET.get("mine"):
        queryset = queryset.filter(created_by=request.user)
    page = Paginator(queryset, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {"page": page, "statuses": choices.Her2Status.choices, "settings": choices.Setting.choices},
    )


def _form(request, *, initial=None):
    groups = marker_groups_get(knowledge_base=knowledge_base_published())
    data = request.POST if request.method == "POST" else None
    return CaseWebForm(data, initial=initial, marker_groups=groups)


@login_required
@permission_required("cases.add_caseprofile", raise_exception=True)
def case_new(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        case = case_create(data=form.profile, user=request.user)
        messages.success(request, f"Case {case.code} saved.")
        return redirect(case)
    return render(request, "cases/form.html", {"form": form, "case": None})


def _may_edit(user, case: CaseProfile) -> bool:
    return case.created_by_id == user.pk or user.is_superuser


@login_required
def case_edit(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    if not _may_edit(request.user, case):
        raise PermissionDenied("Only the case's author can change it.")
    initial = {**CaseWebForm.initial_from(case.as_profile()), "version": case.version}
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_update(case=case, data=form.profile, expected_version=form.cleaned_data["version"])
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Case {case.code} updated.")
            return redirect(case)
    return render(request, "cases/form.html", {"form": form, "case": case})


def _case_context(request, code: str) -> dict:
    case = get_object_or_404(CaseProfile.objects.select_related("created_by"), code=code)
    evaluation = profile_evaluate(profile=case.as_profile())
    snapshots, changes = case_snapshots_with_changes(case=case, current=evaluation)
    return {
        "case": case,
        "evaluation": evaluation,
        "grouped": recommendations_by_mechanism(evaluation),
        "her2_source": HER2_STATUS_SOURCES[case.her2_status],
        "snapshots": snapshots,
        "changes": changes,
        "may_edit": _may_edit(request.user, case),
        "now": timezone.now(),
    }


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_detail(request, code: str):
    return render(request, "cases/detail.html", _case_context(request, code))


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_print(request, code: str):
    return render(request, "cases/print.html", _case_context(request, code))


@login_required
@require_POST
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_snapshot(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    snapshot = snapshot_create(case=case, user=request.user)
    messages.success(request, f"Snapshot taken (knowledge base {snapshot.knowledge_base_version}).")
    return redirect(case)


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
