"""The cohort dashboard: stored cases or an uploaded file; import and export."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases import choices
from cases.selectors import case_list, marker_scales_get
from cases.services import ImportRefused, cases_import
from cases.tabular import frame_clean, frame_read, frame_write
from rules.cohort import cases_export_frame, cases_frame, cohort_dashboard
from rules.selectors import knowledge_base_published

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
            raise forms.ValidationError("The file is larger than 20 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


def _stored(request):
    queryset = case_list()
    if request.GET.get("setting") in choices.Setting.values:
        queryset = queryset.filter(setting=request.GET["setting"])
    if request.GET.get("trastuzumab_response") in choices.TrastuzumabResponse.values:
        queryset = queryset.filter(trastuzumab_response=request.GET["trastuzumab_response"])
    return queryset


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def cohort_index(request):
    knowledge_base = knowledge_base_published()
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "settings": choices.Setting.choices,
        "responses": choices.TrastuzumabResponse.choices,
        "source": "stored cases",
        "report": None,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            frame = frame_read(upload, name=upload.name)
        except ValueError as exc:
            form.add_error("file", str(exc))
            frame = None
        if frame is not None and form.cleaned_data["action"] == "import":
            if not request.user.has_perm("cases.add_caseprofile"):
                raise PermissionDenied("You may not import cases.")
            try:
                created = cases_import(frame=frame, user=request.user)
            except ImportRefused as exc:
                context["report"] = exc.errors.rows
            else:
                messages.success(request, f"Imported {len(created)} case(s).")
                return redirect("cohort")
        elif frame is not None:
            clean, errors = frame_clean(frame, marker_scales=marker_scales_get())
            if errors:
                context["report"] = errors.rows
            else:
                context["source"] = f"uploaded file {upload.name}"
                context["dashboard"] = cohort_dashboard(clean, knowledge_base=knowledge_base)
    if "dashboard" not in context and context["report"] is None:
        clean = cases_frame(_stored(request), knowledge_base=knowledge_base)
        context["dashboard"] = cohort_dashboard(clean, knowledge_base=knowledge_base)
    context["version"] = knowledge_base.version
    return render(request, "cohort/index.html", context)


@login_required
@permission_required("cases.view_caseprofile", raise_exception=True)
def cohort_export(request, fmt: str):
    frame = cases_export_frame(_stored(request), knowledge_base=knowledge_base_published())
    buffer = io.BytesIO()
    name = f"her2-board-cases.{fmt}"
    frame_write(frame, buffer, name=name)
    content_type = (
        "text/csv"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
