"""Import de-identified case profiles from a CSV or Excel file; any bad row stores nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.services import ImportRefused, cases_import
from cases.tabular import COMMAND_LIMITS, frame_read
from core.management.users import user_by_username


class Command(BaseCommand):
    help = "Import cases from PATH (.csv or .xlsx): one row per case, contract field columns."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="username recorded as the cases' author")

    def handle(self, *args, path: Path, user=None, **options):
        author = user_by_username(user)
        try:
            cases = cases_import(frame=frame_read(path, limits=COMMAND_LIMITS), user=author)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        except ImportRefused as exc:
            for line in exc.errors.lines():
                self.stderr.write(line)
            raise CommandError(f"{exc.errors.total} problem(s): nothing was imported.") from None
        self.stdout.write(f"Imported {cases} case(s).")
