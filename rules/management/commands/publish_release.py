"""Publish the working copy of the knowledge base as a dated release (rules.releases)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.management.users import user_by_username
from rules.releases import release_publish


class Command(BaseCommand):
    help = "Publish the knowledge base as release NAME (e.g. 2026.2); users see it from now on."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--user", help="the curator publishing it")

    def handle(self, *args, name: str, user: str | None, **options):
        author = user_by_username(user)
        try:
            release = release_publish(name=name, user=author)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Published release {release.name} ({len(release.changelog)} changes).")
        for line in release.changelog:
            self.stdout.write(f"  - {line}")
