"""Export stored cases with their current evaluation to CSV or Excel."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from board.cohort import cases_export_frame
from cases.selectors import case_list
from cases.table_write import frame_write
from rules.knowledge_base import knowledge_base_published


class Command(BaseCommand):
    help = "Export every stored case, with its evaluation, to PATH (.csv or .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        frame = cases_export_frame(case_list(), knowledge_base=knowledge_base_published())
        try:
            frame_write(frame, path)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Exported {len(frame)} case(s) to {path}.")
