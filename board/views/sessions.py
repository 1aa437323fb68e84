"""Board sessions in training mode: trainees propose first, then compare with the engine;
the educator picks cases, follows progress, locks or closes, and reads the results back."""

import io

import pandas as pd
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from board.agreement import (
    case_debrief,
    proposal_reveal,
    session_progress,
    session_summary,
    session_trainees,
)
from board.choices import SessionState
from board.forms import AddCaseForm, ProposalForm, SessionForm
from board.models import BoardSession
from board.presentation import evaluation_with_why
from board.results import RESULT_COLUMNS, session_results_rows
from board.selectors import decision_get, outcome_get
from board.training import (
    proposal_get,
    proposal_submit,
    proposed_case_ids,
    session_case_add,
    session_case_remove,
    session_cases,
    session_create,
    session_state_set,
)
from cases.contract import profile_rows
from cases.filtersets import CaseFilterSet
from cases.her2 import HER2_STATUS_SOURCES
from cases.selectors import case_list
from cases.table_write import frame_write
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published

PICK_LIMIT = 50


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def session_index(request):
    sessions = BoardSession.objects.select_related("educator")
    may_create = request.user.has_perm("board.add_boardsession")
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(_("Only educators create board sessions."))
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


def _educator_session(request, pk: int) -> BoardSession:
    session = _session(pk)
    if session.educator_id != request.user.pk:
        raise PermissionDenied(_("Only the session's educator sees this page."))
    return session


def _candidates(session: BoardSession, cases) -> list[dict]:
    """The picker's rows: the facts that tell cases apart, the number of suggestions, and
    whether a participant wrote the case (they would know it)."""
    participants = set(session_trainees(session=session).values_list("pk", flat=True))
    knowledge_base = knowledge_base_published()
    rows = []
    for case in cases:
        evaluation = profile_evaluate(profile=case.as_profile(), knowledge_base=knowledge_base)
        rows.append(
            {
                "case": case,
                "markers": len(case.markers),
                "suggestions": len(evaluation["recommendations"]),
                "by_participant": case.created_by_id in participants,
            }
        )
    return rows


# Session pages show case profiles (notes included): only users who may read cases.
CASE_READERS = permission_required("cases.view_caseprofile", raise_exception=True)


@login_required
@CASE_READERS
def session_detail(request, pk: int):
    session = _session(pk)
    runs_it = session.educator_id == request.user.pk
    context = {"session": session, "runs_it": runs_it, "states": SessionState}
    if runs_it:
        in_session = session.cases.values("pk")
        filters = CaseFilterSet(
            request.GET or None,
            queryset=case_list().exclude(pk__in=in_session).order_by("-created_at"),
            request=request,
        )
        candidates = _candidates(session, filters.qs[:PICK_LIMIT]) if request.GET else []
        context.update(
            add_form=AddCaseForm(),
            filters=filters,
            candidates=candidates,
            pick_limit=PICK_LIMIT,
            progress=session_progress(session=session),
        )
    else:
        context["cases"] = session_cases(session=session)
        context["done"] = proposed_case_ids(session=session, trainee=request.user)
    return render(request, "board/sessions/detail.html", context)


ACTIONS = {
    SessionState.OPEN: "Open for proposals",
    SessionState.LOCKED: "Lock proposals and reveal",
    SessionState.CLOSED: "Close the session",
}
STATE_CONSEQUENCES = {
    SessionState.OPEN: "Trainees may propose again; they see the engine only after they do.",
    SessionState.LOCKED: "No more proposals. Every trainee sees the engine's suggestions, and "
    "the board's decision once you record it.",
    SessionState.CLOSED: "The session is over: no more proposals, and cases can no longer be "
    "removed. The summary and the results stay.",
}


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_state(request, pk: int):
    """Open, lock or close: a page of its own asks first (no script needed)."""
    session = _session(pk)
    data = request.POST if request.method == "POST" else request.GET
    state = data.get("state", "")
    if state not in SessionState.values:
        messages.error(
            request,
            _("Unknown state; one of: %(values)s.") % {"values": ", ".join(SessionState.values)},
        )
        return redirect("session-detail", pk=session.pk)
    if session.educator_id != request.user.pk:
        raise PermissionDenied(_("Only the session's educator opens, locks or closes it."))
    reopening = state == SessionState.OPEN and session.revealed
    if request.method == "GET" or data.get("confirmed") != "yes":
        context = {
            "session": session,
            "state": state,
            "label": ("Re-open for proposals" if reopening else ACTIONS[state]),
            "consequence": STATE_CONSEQUENCES[state],
            "reopening": reopening,
        }
        return render(request, "board/sessions/confirm_state.html", context)
    session_state_set(session=session, user=request.user, state=state)
    messages.success(request, _("Session now: %(state)s.") % {"state": SessionState(state).label})
    if reopening:
        messages.warning(
            request,
            _(
                "This session was locked before, so trainees may have seen the engine and the "
                "board's decision: proposals made from now on are marked and left out of the "
                "scores."
            ),
        )
    return redirect("session-detail", pk=session.pk)


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_remove_case(request, pk: int, code: str):
    """Take a case out: a page of its own asks first, naming the proposals that go with it."""
    session = _session(pk)
    case = get_object_or_404(session.cases, code=code)
    if session.educator_id != request.user.pk:
        raise PermissionDenied(_("Only the session's educator removes cases."))
    if session.state == SessionState.CLOSED:
        messages.error(request, _("The session is closed: its cases stay."))
        return redirect("session-detail", pk=session.pk)
    if request.method == "GET" or request.POST.get("confirmed") != "yes":
        lost = session.proposals.filter(case=case).count()
        context = {"session": session, "case": case, "lost": lost}
        return render(request, "board/sessions/confirm_remove.html", context)
    session_case_remove(session=session, case=case, user=request.user)
    messages.success(request, _("Case %(code)s removed from the session.") % {"code": case.code})
    return redirect("session-detail", pk=session.pk)


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
@require_POST
def session_add_case(request, pk: int):
    """Add cases by code: one typed in, or several ticked in the filtered case list."""
    session = _educator_session(request, pk)
    codes = request.POST.getlist("codes")
    if not codes:
        form = AddCaseForm(request.POST)
        codes = [form.cleaned_data["code"]] if form.is_valid() else []
    if not codes:
        messages.error(request, _("Choose a case, or type its code."))
    added, already = [], []
    for code in codes:
        try:
            case, created = session_case_add(session=session, code=code)
        except ValidationError as exc:
            messages.error(request, f"{code}: {' '.join(exc.messages)}")
            continue
        what = f"{case.code} ({case.get_her2_status_display()}, {case.get_setting_display()})"
        (added if created else already).append(what)
    if added:
        messages.success(
            request, _("Added to the session: %(codes)s.") % {"codes": "; ".join(added)}
        )
    if already:
        messages.info(
            request, _("Already in the session: %(codes)s.") % {"codes": "; ".join(already)}
        )
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
                options=form.cleaned_data["options"],
                evidence_guess=form.cleaned_data["evidence_guess"],
                reasoning=form.cleaned_data["reasoning"],
            )
            return redirect("session-case", pk=session.pk, code=case.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "session": session,
        "case": case,
        "profile_rows": profile_rows(case.as_profile(), gettext),
        "her2_source": gettext(HER2_STATUS_SOURCES[case.her2_status]),
        "proposal": proposal,
        "form": form,
    }
    if proposal is not None:
        # Only after the trainee has committed to a proposal do they see the engine (and,
        # once proposals lock, the board's decision and any outcome) ...
        payload = profile_evaluate(profile=case.as_profile())
        decision = None if session.is_open else decision_get(session=session, case=case)
        context.update(proposal_reveal(proposal=proposal, payload=payload, decision=decision))
        context["evaluation"] = evaluation_with_why(payload)  # plain words, not fact = value
        context["outcome"] = None if session.is_open else outcome_get(case=case)
    elif not session.is_open:
        # ... or once the educator has locked or closed the session (reveal for all).
        context["evaluation"] = evaluation_with_why(profile_evaluate(profile=case.as_profile()))
    return render(request, "board/sessions/case.html", context)


@login_required
@CASE_READERS
def session_summary_page(request, pk: int):
    session = _educator_session(request, pk)
    context = {"session": session, **session_summary(session=session)}
    return render(request, "board/sessions/summary.html", context)


@login_required
@CASE_READERS
def session_debrief(request, pk: int, code: str):
    session = _educator_session(request, pk)
    case = get_object_or_404(session.cases, code=code)
    debrief = case_debrief(session=session, case=case)
    debrief["evaluation"] = evaluation_with_why(debrief["evaluation"])
    context = {"session": session, "case": case, **debrief}
    return render(request, "board/sessions/debrief.html", context)


@login_required
@CASE_READERS
def session_export(request, pk: int):
    """The session's results as CSV: one row per ranked choice (cells neutralised)."""
    session = _educator_session(request, pk)
    frame = pd.DataFrame(session_results_rows(session=session), columns=RESULT_COLUMNS)
    buffer = io.BytesIO()
    frame_write(frame.astype(str), buffer, name="results.csv")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-results.csv"'
    return response
