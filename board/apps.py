from django.apps import AppConfig


class BoardConfig(AppConfig):
    """What users do with cases: case pages, snapshots, sessions, cohorts, CDS Hooks."""

    name = "board"
    verbose_name = "Tumour board"
