"""Bring the cohort dashboard's stored evaluations up to date for every stored case
(board.stored): after a bulk import or a release, when the store is too large for a
request to do it."""

import time

from django.core.management.base import BaseCommand

from board.stored import stored_evaluations_update
from rules.knowledge_base import knowledge_base_published


class Command(BaseCommand):
    help = "Evaluate every stored case whose stored evaluation is missing or stale."
    requires_system_checks: list[str] = []  # a batch job (see evaluate_cohort)

    def handle(self, *args, **options):
        start = time.perf_counter()
        count = stored_evaluations_update(knowledge_base=knowledge_base_published())
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"Stored evaluations brought up to date: {count} case(s), {seconds:.1f} s."
        )
