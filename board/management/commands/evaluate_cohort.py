"""Evaluate a file of profiles without storing them (vectorised; see board.cohort)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from board.cohort import cohort_evaluate, cohort_summary
from cases.table_write import frame_write
from cases.tabular import COMMAND_LIMITS, frame_clean, frame_read
from core.notices import DISCLAIMER_SHORT
from rules.knowledge_base import knowledge_base_published


class Command(BaseCommand):
    help = "Evaluate PATH (.csv/.xlsx) against the published knowledge base; write --output CSV."
    # A batch job: Django's system checks import every URLconf and view first (about 1 s).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, path: Path, output: Path, no_progress: bool, **options):
        knowledge_base = knowledge_base_published()
        try:
            frame = frame_read(path, limits=COMMAND_LIMITS)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        clean, errors = frame_clean(frame, marker_scales=knowledge_base.marker_scales)
        if errors:
            for line in errors.lines():
                self.stderr.write(line)
            raise CommandError(f"{errors.total} problem(s): nothing was evaluated.")
        progress = None if no_progress or not sys.stderr.isatty() else self._progress
        result = cohort_evaluate(clean, knowledge_base=knowledge_base, progress=progress)
        frame_write(result, output, name="evaluation.csv")  # CSV, whatever it is called
        self._summary(result, knowledge_base)

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        sys.stderr.write(
            f"\rEvaluating rules [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _summary(self, result, knowledge_base) -> None:
        counts = cohort_summary(result)
        self.stdout.write(
            f"{len(result)} profile(s) evaluated with knowledge base {knowledge_base.version}."
        )
        self.stdout.write(
            "HER2 status: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts["her2_status"].items()))
        )
        self.stdout.write(
            f"Profiles with at least one suggestion: {(result['rules'] != '').sum()}."
        )
        for slug, n in counts["rule"].most_common(5):
            self.stdout.write(f"  {slug}: {n}")
        self.stdout.write(DISCLAIMER_SHORT)
