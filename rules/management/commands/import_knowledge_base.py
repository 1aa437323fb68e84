"""Load a knowledge-base file; every rule is checked, and any bad rule means nothing is stored."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rules.curation import knowledge_base_import
from rules.knowledge_base_file import knowledge_base_read


class Command(BaseCommand):
    help = "Import a knowledge-base file (YAML) written by export_knowledge_base."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            counts = knowledge_base_import(data=knowledge_base_read(path))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(", ".join(f"{n} {name}" for name, n in counts.items()) + " imported.")
