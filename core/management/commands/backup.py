"""Write everything that matters to one JSON file: cases, snapshots, knowledge base, history,
users and groups (not sessions, API tokens or lockout records). Database-neutral; on
PostgreSQL, pg_dump/pg_restore do the same at the database level (see the README).

Earlier notes live only in the cases' history rows. Whether a backup keeps them is the
organisation's choice (settings.BACKUP_NOTES_HISTORY, or --notes-history here); by default
a backup holds each case's current notes only, so a note that was corrected does not come
back from a restore, not even in history.
"""

import argparse
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "knox",
    "axes",
]


def history_text_omit(records: list[dict], fields: dict[str, list[str]]) -> int:
    """Blank the named text fields of the named history models; returns rows changed."""
    changed = 0
    for record in records:
        for name in fields.get(record["model"], []):
            if record["fields"].get(name):
                record["fields"][name] = ""
                changed += 1
    return changed


class Command(BaseCommand):
    help = "Back up the data to PATH (JSON, natural keys)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--notes-history",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Keep earlier notes in the cases' history rows "
            "(default: settings.BACKUP_NOTES_HISTORY).",
        )

    def handle(self, *args, path: Path, notes_history: bool | None, **options):
        keep = settings.BACKUP_NOTES_HISTORY if notes_history is None else notes_history
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / "dump.json"
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDE,
                output=str(dump),
                indent=None,
                verbosity=0,
            )
            records = json.loads(dump.read_text(encoding="utf-8"))
        omitted = 0 if keep else history_text_omit(records, settings.BACKUP_HISTORY_NOTES_FIELDS)
        path.write_text(json.dumps(records), encoding="utf-8")
        kept = "with" if keep else f"without ({omitted} earlier note(s) left out)"
        self.stdout.write(f"Backed up to {path}, {kept} notes history.")
