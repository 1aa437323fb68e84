"""Evaluation snapshots: what the engine said about a case, pinned to the knowledge base."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, QuerySet

from board.models import EvaluationSnapshot
from cases.models import CaseProfile
from core.queries import raw_compiled
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


def _snapshots_of(*, case_pk: int) -> QuerySet[EvaluationSnapshot]:
    return EvaluationSnapshot.objects.filter(case_id=case_pk).annotate(
        created_by_username=F("created_by__username")
    )


def case_snapshots_with_changes(
    *, case: CaseProfile, current: Mapping[str, Any]
) -> tuple[list[EvaluationSnapshot], dict | None]:
    """A case's snapshots, newest first, each with `created_by_username`, and what changed
    since the newest one. Asked on every case page: its SQL is compiled once."""
    snapshots = list(raw_compiled(_snapshots_of, case_pk=case.pk))
    changes = evaluation_changes(before=snapshots[0].payload, after=current) if snapshots else None
    return snapshots, changes
