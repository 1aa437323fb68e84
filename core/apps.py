from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_migrate, post_save


def _roles_sync(sender, using, **kwargs):
    """After a migrate (or a flush), give each group exactly its row of core.roles.ROLES."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return  # once per migrate, after the last app's turn
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from core.roles import roles_sync

    # Django creates permissions on post_migrate too, but this receiver may run before its
    # own for the last app: create them all first (it skips those that exist).
    for config in with_models:
        create_permissions(config, verbosity=0, using=using)
    roles_sync(Group=Group, Permission=Permission)


class CoreConfig(AppConfig):
    """Shared plumbing, no models: the audit trail's signals, the roles table's sync, and
    forgetting remembered API tokens when a token or a user changes (core.selectors)."""

    name = "core"
    verbose_name = "Accounts and site"

    def ready(self):
        # The audit trail listens to sign-ins and history records from here on.
        from core import audit  # noqa: F401

        post_migrate.connect(_roles_sync, dispatch_uid="core.roles_sync")

        from rest_framework.authtoken.models import Token

        from core.selectors import recent_tokens_forget

        for model in (Token, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(recent_tokens_forget, sender=model, weak=False)
