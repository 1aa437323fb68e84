"""The tumour-board app. Publishing a knowledge-base release rebuilds the cohort
dashboard's stored evaluations once it is committed (board.stored), so the first dashboard
after a release does not evaluate every stored case itself."""

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


def _release_saved(sender, instance, created, **kwargs) -> None:
    if created:
        transaction.on_commit(_stored_evaluations_rebuild)


def _stored_evaluations_rebuild() -> None:
    from board.stored import stored_evaluations_refresh
    from cases.models import CaseProfile
    from rules.knowledge_base import knowledge_base_published

    stored_evaluations_refresh(
        queryset=CaseProfile.objects.all(), knowledge_base=knowledge_base_published()
    )


class BoardConfig(AppConfig):
    """What users do with cases: case pages, snapshots, sessions, cohorts, CDS Hooks."""

    name = "board"
    verbose_name = "Tumour board"

    def ready(self) -> None:
        from rules.models import Release

        post_save.connect(_release_saved, sender=Release, weak=False)
