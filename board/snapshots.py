"""Evaluation snapshots: what the engine said about a case, pinned to the knowledge base."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from board.models import EvaluationSnapshot
from cases.models import CaseProfile
from rules.evaluation import evaluation_changes, profile_evaluate


def snapshot_create(
    *, case: CaseProfile, user: AbstractBaseUser | None = None
) -> EvaluationSnapshot:
    """Store what the engine says about `case` now, pinned to the knowledge-base version."""
    payload = profile_evaluate(profile=case.as_profile())
    return EvaluationSnapshot.objects.create(
        case=case,
        knowledge_base_version=payload["knowledge_base_version"],
        knowledge_base_release=(payload["knowledge_base_release"] or {}).get("name", ""),
        payload=payload,
        created_by=user,
    )


def case_snapshots_with_changes(
    *, case: CaseProfile, current: Mapping[str, Any]
) -> tuple[list[EvaluationSnapshot], dict | None]:
    """A case's snapshots, newest first, and what changed since the newest one."""
    snapshots = list(EvaluationSnapshot.objects.filter(case=case).select_related("created_by"))
    changes = evaluation_changes(before=snapshots[0].payload, after=current) if snapshots else None
    return snapshots, changes
