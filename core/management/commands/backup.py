"""Write everything that matters to one JSON file: cases, snapshots, knowledge base, history,
users and groups (not sessions, API tokens or lockout records). Database-neutral; on
PostgreSQL, pg_dump/pg_restore do the same at the database level (see the README)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "authtoken",
    "axes",
]


class Command(BaseCommand):
    help = "Back up the data to PATH (JSON, natural keys)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDE,
            output=str(path),
            indent=None,
            verbosity=0,
        )
        self.stdout.write(f"Backed up to {path}.")
