"""The cohort dashboard: stored cases (filtered) or an uploaded file; import and export."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from board.cohort import cases_export_frame, cases_frame, cohort_dashboard, cohort_template_frame
from board.stored import stored_dashboard
from board.training import proposal_due_cases
from board.uploads import cohort_upload_export_frame, cohort_upload_handle
from cases.filtersets import CaseFilterSet
from cases.selectors import case_list
from cases.table_write import frame_write
from rules.knowledge_base import knowledge_base_published

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV or Excel (.xlsx) file", help_text="One row per case.")
    action = forms.ChoiceField(
        choices=[
            ("dashboard", "Show its dashboard (nothing stored)"),
            ("import", "Import the cases"),
        ],
        widget=forms.RadioSelect,
        initial="dashboard",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _stored_cases(request):
    return CaseFilterSet(request.GET or None, queryset=case_list(), request=request)


def _owed_case_ids(request) -> set[int]:
    """Cases the user owes a proposal for in an open session (propose first)."""
    return {case.pk for _, case in proposal_due_cases(user=request.user)}


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def cohort_index(request):
    knowledge_base = knowledge_base_published()
    form = UploadForm(request.POST or None, request.FILES or None)
    filterset = _stored_cases(request)
    context = {"form": form, "filter": filterset, "source": "stored cases", "report": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = cohort_upload_handle(
                upload=upload,
                action=form.cleaned_data["action"],
                user=request.user,
                knowledge_base=knowledge_base,
            )
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            if outcome.imported is not None:
                messages.success(
                    request,
                    ngettext(
                        "Imported %(count)s case.", "Imported %(count)s cases.", outcome.imported
                    )
                    % {"count": outcome.imported},
                )
                return redirect("cohort")
            context.update(
                report=outcome.report,
                report_omitted=outcome.report_omitted,
                source=outcome.source or context["source"],
                upload_token=outcome.token,
                upload_unkept=outcome.dashboard is not None and not outcome.token,
                owed_left_out=outcome.held_back,
            )
            if outcome.dashboard is not None:
                context["dashboard"] = outcome.dashboard
    if "dashboard" not in context and context["report"] is None:
        # Propose first, really: cases the user owes a proposal for are left out.
        owed = _owed_case_ids(request)
        queryset = filterset.qs
        if owed:
            context["owed_left_out"] = queryset.filter(pk__in=owed).count()
            queryset = queryset.exclude(pk__in=owed)
        context["dashboard"] = stored_dashboard(
            queryset=queryset, knowledge_base=knowledge_base
        ) or cohort_dashboard(
            cases_frame(queryset, knowledge_base=knowledge_base), knowledge_base=knowledge_base
        )
    context["version"] = knowledge_base.version
    context["release"] = knowledge_base.release
    return render(request, "board/cohort/index.html", context)


def _download(frame, name: str, fmt: str) -> HttpResponse:
    buffer = io.BytesIO()
    frame_write(frame, buffer, name=f"{name}.{fmt}")
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def cohort_export(request, fmt: str):
    """The stored cases the filter shows, with their evaluation; for a case the user owes a
    proposal for, without it (propose first)."""
    frame = cases_export_frame(
        _stored_cases(request).qs,
        knowledge_base=knowledge_base_published(),
        held_back={case.code for _, case in proposal_due_cases(user=request.user)},
    )
    return _download(frame, "her2-board-cases", fmt)


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def cohort_upload_export(request, token: str, fmt: str):
    """The uploaded file whose dashboard is shown, with its evaluation (kept 30 minutes)."""
    frame = cohort_upload_export_frame(
        user=request.user, token=token, knowledge_base=knowledge_base_published()
    )
    if frame is None:
        messages.error(request, _("That upload is no longer kept (30 minutes); upload it again."))
        return redirect("cohort")
    return _download(frame, "her2-board-upload-evaluated", fmt)


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def cohort_template(request, fmt: str):
    """Every column an upload takes, with the contract's example profile as a row."""
    return _download(
        cohort_template_frame(knowledge_base=knowledge_base_published()),
        "her2-board-template",
        fmt,
    )
