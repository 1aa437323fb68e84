from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Case profiles"

    def ready(self):
        # The audit trail listens to sign-ins and history records from here on.
        from config import audit  # noqa: F401
