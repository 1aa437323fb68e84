"""Home, the case form, the case page, its printable board summary and snapshots.

Views stay thin: forms validate through cases.profile, writes go through services, reads
through selectors; who may change a case is core.roles' rule.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.presentation import (
    evaluation_summary,
    evaluation_with_why,
    marker_groups_get,
    profile_summary,
)
from board.snapshots import case_snapshots_with_changes, snapshot_create
from board.training import (
    proposal_due,
    proposal_due_case_ids,
    proposal_due_for_facts,
    propose_first_message,
    sessions_open,
)
from cases.contract import profile_rows
from cases.forms import CaseWebForm
from cases.her2 import HER2_STATUS_SOURCES
from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.selectors import case_get, case_list
from cases.services import case_create, case_update
from cases.warnings import profile_warnings
from core.concurrency import StaleVersion
from core.roles import object_may_change
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published


def home(request):
    context = {"recent_cases": [], "open_sessions": [], "demo_cases": []}
    if request.user.is_authenticated:
        knowledge_base = knowledge_base_published()
        recent = list(case_list(created_by=request.user)[:10])
        due = proposal_due_case_ids(user=request.user, case_ids=[c.pk for c in recent])
        context["recent_cases"] = [
            {
                "case": case,
                "due": case.pk in due,  # propose first: not even a count before that
                "suggestions": len(
                    profile_evaluate(profile=case.as_profile(), knowledge_base=knowledge_base)[
                        "recommendations"
                    ]
                ),
            }
            for case in recent
        ]
        if request.user.has_perm(settings.MEMBER_PERMISSION):  # in no group: nothing
            context["open_sessions"] = sessions_open()[:10]
            context["demo_cases"] = case_list().filter(created_by__username="demo")[:5]
    return render(request, "board/home.html", context)


def _case_form(request, *, initial=None) -> CaseWebForm:
    groups = marker_groups_get(knowledge_base=knowledge_base_published())
    data = request.POST if request.method == "POST" else None
    return CaseWebForm(data, initial=initial, marker_groups=groups)


def _warnings_show(request, case: CaseProfile) -> None:
    """After a save: the profile's contradictions to re-check (they never block it)."""
    for warning in profile_warnings(case.as_profile()):
        messages.warning(
            request, _("Check the profile: %(message)s") % {"message": _(warning["message"])}
        )


def _copies_an_owed_case(request, form: CaseWebForm, case: CaseProfile | None = None) -> bool:
    """True, with the propose-first message on the form, when the profile has the facts of
    a case the user owes a proposal for (saving it would show that case's suggestions)."""
    marker_scales = knowledge_base_published().marker_scales
    try:
        profile = profile_clean(data=form.profile, marker_scales=marker_scales)
    except ValidationError:
        return False  # the save refuses it, with its own message
    owed = proposal_due_for_facts(user=request.user, profile=profile, besides=case)
    if owed is not None:
        form.add_error(None, propose_first_message(*owed))
    return owed is not None


@login_required
@permission_required("cases.add_caseprofile", raise_exception=True)
def case_new(request):
    form = _case_form(request)
    if request.method == "POST" and form.is_valid() and not _copies_an_owed_case(request, form):
        case = case_create(data=form.profile, user=request.user)
        messages.success(request, _("Case %(code)s saved.") % {"code": case.code})
        _warnings_show(request, case)
        return redirect(case)
    return render(request, "board/case_form.html", {"form": form, "case": None})


@login_required
def case_edit(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    if not object_may_change(request.user, case):
        raise PermissionDenied(_("Only the case's author can change it."))
    initial = {**CaseWebForm.initial_from(case.as_profile()), "version": case.version}
    form = _case_form(request, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and not _copies_an_owed_case(request, form, case)
    ):
        try:
            case_update(case=case, data=form.profile, expected_version=form.cleaned_data["version"])
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case %(code)s updated.") % {"code": case.code})
            _warnings_show(request, case)
            return redirect(case)
    return render(request, "board/case_form.html", {"form": form, "case": case})


def _case_context(request, code: str) -> dict:
    case = case_get(code=code)
    if case is None:
        raise Http404(_("No case with that code."))
    profile = case.as_profile()
    context = {
        "case": case,
        "profile_rows": profile_rows(profile, gettext),
        "profile_summary": profile_summary(profile, her2_status=case.her2_status),
        "her2_source": gettext(HER2_STATUS_SOURCES[case.her2_status]),
        "may_edit": object_may_change(request.user, case),
        "now": timezone.now(),
    }
    due = proposal_due(user=request.user, case=case)
    if due is not None:
        # A trainee of an open session sees no suggestions until they have proposed.
        context.update(propose_first=due, propose_first_message=propose_first_message(due, case))
        return context
    evaluation = profile_evaluate(profile=profile)
    snapshots, changes = case_snapshots_with_changes(case=case, current=evaluation)
    context.update(
        # The page's copy says why each item fires in words; `evaluation` stays the payload.
        evaluation=evaluation_with_why(evaluation),
        evaluation_summary=evaluation_summary(evaluation),
        snapshots=snapshots,
        changes=changes,
    )
    return context


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_detail(request, code: str):
    return render(request, "board/case_detail.html", _case_context(request, code))


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def case_print(request, code: str):
    context = _case_context(request, code)
    if "propose_first" in context:
        raise PermissionDenied(context["propose_first_message"])
    return render(request, "board/case_print.html", context)


@login_required
@require_POST
@permission_required(
    ["cases.view_caseprofile", "board.add_evaluationsnapshot"], raise_exception=True
)
def case_snapshot(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    due = proposal_due(user=request.user, case=case)
    if due is not None:
        raise PermissionDenied(propose_first_message(due, case))
    snapshot = snapshot_create(case=case, user=request.user)
    messages.success(
        request,
        _("Snapshot taken (knowledge base %(version)s).")
        % {"version": snapshot.knowledge_base_version},
    )
    return redirect(case)
