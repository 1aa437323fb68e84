"""The tumour-board app. Publishing a knowledge-base release rebuilds the cohort
dashboard's stored evaluations once it is committed (board.stored), so the first dashboard
after a release does not evaluate every stored case itself; past
board.stored.REFRESH_IN_REQUEST cases that is left to `manage.py stored_evaluations_rebuild`
(the publishing request must not run for minutes), and dashboards count directly until then."""

import logging

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _release_saved(sender, instance, created, **kwargs) -> None:
    if created:
        transaction.on_commit(_stored_evaluations_rebuild)


def _stored_evaluations_rebuild() -> None:
    from board.stored import REFRESH_IN_REQUEST, stored_evaluations_update
    from rules.knowledge_base import knowledge_base_published

    knowledge_base = knowledge_base_published()
    if stored_evaluations_update(knowledge_base=knowledge_base, limit=REFRESH_IN_REQUEST) is None:
        logger.warning(
            "More than %s stored cases: run `manage.py stored_evaluations_rebuild` for the "
            "new release; cohort dashboards count directly until then.",
            REFRESH_IN_REQUEST,
        )


class BoardConfig(AppConfig):
    """What users do with cases: case pages, snapshots, sessions, cohorts, CDS Hooks."""

    name = "board"
    verbose_name = _("Tumour board")

    def ready(self) -> None:
        from rules.models import Release

        post_save.connect(_release_saved, sender=Release, weak=False)
