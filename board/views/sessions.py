"""Board sessions in training mode: trainees propose first, then compare with the engine."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from board.models import BoardSession
from board.training import (
    proposal_get,
    proposal_reveal,
    proposal_submit,
    proposed_case_ids,
    session_case_add,
    session_case_remove,
    session_cases,
    session_create,
    session_open_set,
    session_overview,
)
from cases.contract import profile_rows
from cases.deid import text_validate
from cases.her2 import HER2_STATUS_SOURCES
from rules.models import Strategy


class SessionForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        validators=[text_validate],
        help_text="e.g. 'Resistance teaching set, week 3'. Shown to every user: no identifiers.",
    )


class AddCaseForm(forms.Form):
    code = forms.CharField(max_length=16, label="Case code", help_text="e.g. TB-7KQ2MX")


class ProposalForm(forms.Form):
    strategies = forms.ModelMultipleChoiceField(
        queryset=Strategy.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        label="Strategies you would propose",
    )  # fmt: skip
    reasoning = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        validators=[text_validate], help_text="A short, de-identified reasoning.",
    )  # fmt: skip


@login_required
def session_index(request):
    sessions = BoardSession.objects.select_related("educator")
    may_create = request.user.has_perm("board.add_boardsession")
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("Only educators create board sessions.")
        if form.is_valid():
            session = session_create(title=form.cleaned_data["title"], educator=request.user)
            return redirect("session-detail", pk=session.pk)
    return render(
        request,
        "board/sessions/index.html",
        {"sessions": sessions, "form": form, "may_create": may_create},
    )


def _session(pk: int) -> BoardSession:
    return get_object_or_404(BoardSession.objects.select_related("educator"), pk=pk)


# Session pages show case profiles (notes included): only users who may read cases.
CASE_READERS = permission_required("cases.view_caseprofile", raise_exception=True)


@login_required
@CASE_READERS
def session_detail(request, pk: int):
    session = _session(pk)
    runs_it = session.educator_id == request.user.pk
    context = {"session": session, "runs_it": runs_it, "add_form": AddCaseForm()}
    if runs_it:
        context["overview"] = session_overview(session=session)
    else:
        context["cases"] = session_cases(session=session)
        context["done"] = proposed_case_ids(session=session, trainee=request.user)
    return render(request, "board/sessions/detail.html", context)


@login_required
@require_POST
def session_open(request, pk: int):
    session = _session(pk)
    is_open = request.POST.get("open") == "1"
    session_open_set(session=session, user=request.user, is_open=is_open)
    done = "Session opened." if is_open else "Session closed: no more proposals."
    messages.success(request, done)
    return redirect("session-detail", pk=session.pk)


@login_required
@require_POST
def session_remove_case(request, pk: int, code: str):
    session = _session(pk)
    case = get_object_or_404(session.cases, code=code)
    session_case_remove(session=session, case=case, user=request.user)
    messages.success(request, f"Case {case.code} removed from the session.")
    return redirect("session-detail", pk=session.pk)


@login_required
@require_POST
def session_add_case(request, pk: int):
    session = _session(pk)
    if session.educator_id != request.user.pk:
        raise PermissionDenied("Only the session's educator adds cases.")
    form = AddCaseForm(request.POST)
    if form.is_valid():
        try:
            case, created = session_case_add(session=session, code=form.cleaned_data["code"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            what = (
                f"Case {case.code} ({case.get_her2_status_display()}, {case.get_setting_display()})"
            )
            if created:
                messages.success(request, f"{what} added to the session.")
            else:
                messages.info(request, f"{what} was already in the session.")
    return redirect("session-detail", pk=session.pk)


@login_required
@CASE_READERS
def session_case(request, pk: int, code: str):
    session = _session(pk)
    case = get_object_or_404(session.cases, code=code)
    proposal = proposal_get(session=session, case=case, trainee=request.user)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and proposal is None and form.is_valid():
        try:
            proposal_submit(
                session=session,
                case=case,
                trainee=request.user,
                strategies=form.cleaned_data["strategies"],
                reasoning=form.cleaned_data["reasoning"],
            )
            return redirect("session-case", pk=session.pk, code=case.code)
        except ValidationError as exc:
            form.add_error(None if exc.code == "closed" else "reasoning", exc)
    context = {
        "session": session,
        "case": case,
        "profile_rows": profile_rows(case.as_profile()),
        "her2_source": HER2_STATUS_SOURCES[case.her2_status],
        "proposal": proposal,
        "form": form,
    }
    if proposal is not None:
        # Only after the trainee has committed to a proposal do they see the engine.
        context.update(proposal_reveal(proposal=proposal, case=case))
    return render(request, "board/sessions/case.html", context)
