"""Write the knowledge base to a file in the repository's format: the working copy as
curators left it, or, with --release NAME, exactly what that release published."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rules.curation import knowledge_base_export
from rules.knowledge_base_file import knowledge_base_read, knowledge_base_write
from rules.models import Release


class Command(BaseCommand):
    help = "Export the knowledge base to PATH (YAML, the format of rules/knowledge_base/)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--release", help="a published release's name, e.g. 2026.1")

    def handle(self, *args, path: Path, release: str | None, **options):
        if release:
            found = Release.objects.filter(name=release).first()
            if found is None:
                names = ", ".join(Release.objects.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"No release named {release!r}; releases: {names}.")
            data = found.knowledge_base
        else:
            data = knowledge_base_export(source=knowledge_base_read().get("source", ""))
        knowledge_base_write(data, path)
        self.stdout.write(
            f"Exported {len(data['rules'])} rules and {len(data['references'])} references "
            f"to {path}."
        )
