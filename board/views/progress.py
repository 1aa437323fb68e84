"""Progress across sessions: a trainee's own page, and the educator's page for every
trainee and the group; each with a server-drawn chart, its data as a table, and CSV."""

import io

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from board.agreement import CALIBRATION_KEYS
from board.progress import group_progress, progress_chart, trainee_progress
from cases.table_write import frame_write

PROGRESS_COLUMNS = ["trainee", "session", "title", "board", "engine", *CALIBRATION_KEYS]
EDUCATORS = permission_required("board.change_boardsession", raise_exception=True)


def _csv(rows: list[dict], name: str) -> HttpResponse:
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS).astype(str)
    frame = frame.replace({"None": ""})
    buffer = io.BytesIO()
    frame_write(frame, buffer, name=f"{name}.csv")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def my_progress(request):
    """A trainee's own progress; an educator may read any trainee's (?trainee=<name>)."""
    trainee = request.user
    if request.GET.get("trainee"):
        if not request.user.has_perm("board.change_boardsession"):
            raise PermissionDenied(_("Only an educator reads another trainee's progress."))
        trainee = get_object_or_404(get_user_model(), username=request.GET["trainee"])
    rows = trainee_progress(trainee=trainee)
    if request.GET.get("format") == "csv":
        name = trainee.get_username()
        return _csv([{"trainee": name, **row} for row in rows], f"progress-{name}")
    context = {"rows": rows, "chart": progress_chart(rows), "trainee": trainee}
    return render(request, "board/progress/mine.html", context)


@login_required
@EDUCATORS
def group_progress_page(request):
    progress = group_progress()
    if request.GET.get("format") == "csv":
        rows = [{"trainee": "(group)", **row} for row in progress["group"]]
        for trainee in progress["trainees"]:
            rows += [{"trainee": trainee["trainee"], **row} for row in trainee["rows"]]
        return _csv(rows, "group-progress")
    context = {**progress, "chart": progress_chart(progress["group"])}
    return render(request, "board/progress/group.html", context)
