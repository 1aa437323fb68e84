"""Replace the data with a backup written by `manage.py backup`, in one transaction."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Restore PATH (from `manage.py backup`): empties the database first. Asks first."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def handle(self, *args, path: Path, no_input: bool, **options):
        if not path.exists():
            raise CommandError(f"No backup at {path}.")
        if not no_input and input("This replaces every record. Type 'yes' to go on: ") != "yes":
            raise CommandError("Restore cancelled.")
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Check deferred constraints now, so that TRUNCATE has nothing pending.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # flush empties every table and re-creates content types and permissions.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
        self.stdout.write(f"Restored from {path}.")
