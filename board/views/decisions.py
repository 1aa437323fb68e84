"""After proposals lock, the educator's pages: the board's decision for a session case, the
mapping of the room's "Other" answers (from the debrief), and a case's outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.decision_forms import DecisionForm, MappingForm, OutcomeForm
from board.decisions import choice_map, decision_record, option_targets, outcome_record
from board.models import BoardSession, ProposalChoice
from board.selectors import decision_get, outcome_get
from board.views.sessions import CASE_READERS
from cases.models import CaseProfile
from core.concurrency import StaleVersion


def _educator_case(request, pk: int, code: str) -> tuple[BoardSession, CaseProfile]:
    session = get_object_or_404(BoardSession, pk=pk)
    if session.educator_id != request.user.pk:
        raise PermissionDenied(_("Only the session's educator sees this page."))
    return session, get_object_or_404(session.cases, code=code)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@CASE_READERS
def session_decision(request, pk: int, code: str):
    session, case = _educator_case(request, pk, code)
    decision = decision_get(session=session, case=case)
    targets = option_targets()
    initial = {"version": decision.version if decision else None}
    if decision is not None:
        initial["no_recommendation_reason"] = decision.no_recommendation_reason
        for rank, item in enumerate(decision.options, start=1):
            initial[f"option_{rank}"] = item["option"]
            initial[f"grade_{rank}"] = item["evidence_grade"]
            initial[f"rationale_{rank}"] = item["rationale"]
    form = DecisionForm(request.POST or None, initial=initial, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            decision_record(
                session=session,
                case=case,
                user=request.user,
                options=form.options(),
                no_recommendation_reason=form.cleaned_data["no_recommendation_reason"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The board's decision for %(code)s is recorded.") % {"code": case.code}
            )
            return redirect("session-debrief", pk=session.pk, code=case.code)
    context = {"session": session, "case": case, "form": form, "decision": decision}
    return render(request, "board/sessions/decision.html", context)


@login_required
@CASE_READERS
@require_POST
def session_mapping(request, pk: int, code: str):
    session, case = _educator_case(request, pk, code)
    form = MappingForm(request.POST, targets=option_targets())
    if form.is_valid():
        choice = get_object_or_404(
            ProposalChoice.objects.select_related("proposal"),
            pk=form.cleaned_data["choice"],
            proposal__session=session,
            proposal__case=case,
        )
        try:
            choice_map(
                session=session,
                choice=choice,
                user=request.user,
                option=form.cleaned_data["option"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Mapped; the scores recompute."))
    else:
        messages.error(request, _("Choose an option from the list."))
    return redirect("session-debrief", pk=session.pk, code=case.code)


@login_required
@permission_required("board.change_caseoutcome", raise_exception=True)
def case_outcome(request, code: str):
    case = get_object_or_404(CaseProfile, code=code)
    outcome = outcome_get(case=case)
    initial = {}
    if outcome is not None:
        initial = {
            name: getattr(outcome, name)
            for name in (
                "implemented", "not_implemented_reason", "best_response", "progressed",
                "months_to_progression", "months_followed", "notes", "version",
            )
        }  # fmt: skip
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome_record(
                case=case,
                user=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The outcome of %(code)s is recorded.") % {"code": case.code}
            )
            return redirect(case.get_absolute_url())
    return render(request, "board/outcome.html", {"case": case, "form": form, "outcome": outcome})
