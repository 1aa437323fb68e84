"""`manage.py messages`: update each language's catalogue from the marked messages and
compile it (core.catalogue); `--check` changes nothing and fails on any gap."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.catalogue import catalogue_gaps, catalogue_update


class Command(BaseCommand):
    help = "Update and compile the translation catalogues (no system gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report what is missing.")

    def handle(self, *args, check: bool = False, **options):
        languages = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        gaps = []
        for language in languages:
            if not check:
                catalogue = catalogue_update(language)
                self.stdout.write(f"{language}: {len(catalogue)} messages")
            gaps += catalogue_gaps(language)
        for gap in gaps:
            self.stderr.write(gap)
        if gaps and check:
            raise CommandError(f"{len(gaps)} translation gap(s)")
