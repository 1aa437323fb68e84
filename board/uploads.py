"""Uploaded tables: checked in a bounded child process (parsing, every cell, the identifier
screen), then imported or shown as a dashboard; an accepted file kept a while, within
quotas, for its dashboard's downloads."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from board.cohort import cohort_dashboard, frame_with_evaluation
from board.models import KeptUpload
from board.training import profile_facts, proposal_due_facts, propose_first_message
from cases.bulk import profile_columns
from cases.selectors import marker_scales_get
from cases.services import cases_import_checked
from cases.tabular import CleanFrame, TableErrors, frame_clean, frame_read
from core.isolation import run_bounded, slot_hold
from rules.knowledge_base import KnowledgeBase

UPLOAD_KEPT_SECONDS = 30 * 60


@transaction.atomic
def cohort_upload_keep(*, user: AbstractBaseUser, data: bytes, name: str) -> str:
    """Keep an uploaded file for its dashboard's downloads (30 minutes, this user only), in
    the database (every app server reads it), within the limits: the user's own oldest
    kept files make room for a new one; past the total for everyone, nothing is kept and
    "" is answered (the dashboard then offers no download). Expired files go first."""
    now = timezone.now()
    KeptUpload.objects.filter(expires_at__lte=now).delete()
    size = len(data)
    if size > settings.UPLOAD_KEPT_PER_USER_BYTES:
        return ""
    mine = list(
        KeptUpload.objects.filter(user=user).order_by("created_at", "id").values_list("id", "size")
    )
    held = sum(kept for _, kept in mine)
    while mine and held + size > settings.UPLOAD_KEPT_PER_USER_BYTES:
        oldest, kept = mine.pop(0)
        KeptUpload.objects.filter(pk=oldest).delete()
        held -= kept
    total = KeptUpload.objects.aggregate(total=Sum("size"))["total"] or 0
    if total + size > settings.UPLOAD_KEPT_TOTAL_BYTES:
        return ""
    token = secrets.token_urlsafe(16)
    KeptUpload.objects.create(
        token=token,
        user=user,
        name="upload" + PurePath(name).suffix.lower()[:10],
        data=data,
        size=size,
        expires_at=now + timedelta(seconds=UPLOAD_KEPT_SECONDS),
    )
    return token


def cohort_upload_export_frame(
    *, user: AbstractBaseUser, token: str, knowledge_base: KnowledgeBase
) -> pd.DataFrame | None:
    """The kept upload with its evaluation, or None once it has expired (or no longer
    passes its checks: the catalogue changed)."""
    kept = (
        KeptUpload.objects.filter(user=user, token=token, expires_at__gt=timezone.now())
        .values_list("data", "name")
        .first()
    )
    if kept is None:
        return None
    checked = upload_check(
        data=bytes(kept[0]),
        name=kept[1],
        marker_scales=knowledge_base.marker_scales,
        owed=frozenset(proposal_due_facts(user=user)),
    )
    if checked.errors:
        return None
    return frame_with_evaluation(checked.frame, checked.clean, knowledge_base)


@dataclass(frozen=True)
class UploadOutcome:
    """What an uploaded table led to: cases imported, a refusal report, or a dashboard."""

    imported: int | None = None
    report: list[dict[str, Any]] | None = None
    report_omitted: int = 0
    dashboard: dict[str, Any] | None = None
    source: str = ""
    token: str = ""  # the kept upload, for its dashboard's downloads
    held_back: int = 0  # rows left out: the facts of a case the user owes a proposal for


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded table as read (every cell as text), as checked, and its problems."""

    frame: pd.DataFrame
    clean: CleanFrame
    errors: TableErrors
    held_back: int = 0  # rows with the facts of a case the user owes a proposal for


def _owed_rows(clean: CleanFrame, owed: frozenset) -> list[bool]:
    """For each row: has it the facts of a case the user owes a proposal for?"""
    columns = profile_columns(clean)
    names = [name for name in columns if name != "her2_status"]
    return [
        profile_facts({name: columns[name][row] for name in names}) in owed
        for row in range(len(clean))
    ]


def _upload_check(data: bytes, name: str, marker_scales, owed: frozenset) -> CheckedUpload:
    frame = frame_read(data, name=name)
    clean, errors = frame_clean(frame, marker_scales=marker_scales)
    held_back = 0
    if owed and not errors:
        # Propose first: rows with an owed case's facts are checked again without them.
        mask = _owed_rows(clean, owed)
        held_back = sum(mask)
        if held_back:
            frame = frame[[not owed_row for owed_row in mask]].reset_index(drop=True)
            clean, errors = frame_clean(frame, marker_scales=marker_scales)
    return CheckedUpload(frame=frame, clean=clean, errors=errors, held_back=held_back)


def upload_check(
    *, data: bytes, name: str, marker_scales, owed: frozenset = frozenset()
) -> CheckedUpload:
    """Every check of an uploaded table (parsing, each cell against the contract, notes
    against the identifier screen) in a child process bounded in time and memory
    (settings.UPLOAD_PARSE_SECONDS, UPLOAD_PARSE_MEMORY), holding one of the site's
    settings.UPLOAD_CHECKS_AT_ONCE slots: a hostile file costs that job, not the site.
    ValueError, with the user's message, when the file is refused or the slots are full.
    Rows with the facts in `owed` (cases the user owes a proposal for) are left out and
    counted in `held_back`."""
    seconds = settings.UPLOAD_PARSE_SECONDS
    with slot_hold(
        "upload-check",
        at_most=settings.UPLOAD_CHECKS_AT_ONCE,
        seconds=seconds + 10,
        busy=_("Other uploads are being checked right now; try again in a minute."),
    ):
        return run_bounded(
            _upload_check,
            data,
            name,
            marker_scales,
            owed,
            seconds=seconds,
            memory_bytes=settings.UPLOAD_PARSE_MEMORY,
            what=_("Checking the file"),
            too_long=_(
                "Split it into smaller files, each with the header row, and upload "
                "them one at a time."
            ),
        )


def cohort_upload_handle(
    *, upload, action: str, user: AbstractBaseUser, knowledge_base: KnowledgeBase
) -> UploadOutcome:
    """Import an uploaded CSV/Excel table, or show its dashboard without storing it.

    Raises ValueError when the file cannot be read or is over a limit, PermissionDenied
    when the user may not import cases; a table with any bad cell stores nothing and
    returns a report (its first problems, and how many more there were).
    """
    if action == "import" and not user.has_perm("cases.add_caseprofile"):
        raise PermissionDenied(_("You may not import cases."))
    data = upload.read()
    importing = action == "import"
    # An import is checked against the catalogue it is stored with; a dashboard against
    # the release it is shown with.
    scales = marker_scales_get() if importing else knowledge_base.marker_scales
    owed = proposal_due_facts(user=user)
    checked = upload_check(data=data, name=upload.name, marker_scales=scales, owed=frozenset(owed))
    if checked.errors:
        return UploadOutcome(report=checked.errors.rows, report_omitted=checked.errors.omitted)
    if importing:
        if checked.held_back:
            # A stored copy of an owed case would show its suggestions: nothing is stored.
            session, case = next(iter(owed.values()))
            raise ValueError(
                f"{checked.held_back} row(s) have the facts of a case you owe a proposal "
                f"for; nothing was imported. {propose_first_message(session, case)}"
            )
        return UploadOutcome(imported=cases_import_checked(clean=checked.clean, user=user))
    return UploadOutcome(
        dashboard=cohort_dashboard(checked.clean, knowledge_base=knowledge_base),
        source=f"uploaded file {upload.name}",
        token=cohort_upload_keep(user=user, data=data, name=upload.name),
        held_back=checked.held_back,
    )
