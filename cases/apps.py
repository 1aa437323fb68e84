from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case-profile contract, de-identification, and case storage."""

    name = "cases"
    verbose_name = "Case profiles"
