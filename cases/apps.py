from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The case-profile contract, de-identification, and case storage."""

    name = "cases"
    verbose_name = _("Case profiles")

    def ready(self) -> None:
        # Before any URLconf is loaded: board.urls and board.api.urls use it too.
        from django.urls import register_converter

        from cases.converters import CaseCodeConverter

        register_converter(CaseCodeConverter, "case_code")
