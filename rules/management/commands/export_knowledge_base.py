"""Write the knowledge base (as curators left it) to a file in the repository's format."""

from pathlib import Path

from django.core.management.base import BaseCommand

from rules.curation import knowledge_base_export
from rules.knowledge_base_file import knowledge_base_read, knowledge_base_write


class Command(BaseCommand):
    help = "Export the knowledge base to PATH (YAML, the format of rules/knowledge_base/)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        data = knowledge_base_export(source=knowledge_base_read().get("source", ""))
        knowledge_base_write(data, path)
        self.stdout.write(
            f"Exported {len(data['rules'])} rules and {len(data['references'])} references "
            f"to {path}."
        )
