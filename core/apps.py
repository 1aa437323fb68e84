from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _roles_sync(sender, using, **kwargs):
    """After a migrate (or a flush), give each group exactly its row of config.roles.ROLES."""
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


def _password_change_note(sender, instance, **kwargs):
    """Before a user is saved: did `set_password` run since they were read? Django marks it
    in `_password` for its own password_changed hook, and clears it before the re-hash it
    does on sign-in, which is the same password and must not end tokens."""
    instance._api_tokens_end = instance.pk is not None and instance._password is not None


def _password_change_tokens_end(sender, instance, **kwargs):
    """After a user's password changed: their API tokens die (L11)."""
    if getattr(instance, "_api_tokens_end", False):
        from core.services import api_tokens_revoke

        instance._api_tokens_end = False
        api_tokens_revoke(user=instance)


class CoreConfig(AppConfig):
    """Shared plumbing and one table (each user's preferences): the audit trail's signals,
    the roles table's sync, and forgetting the API tokens, users and permissions a worker
    remembers when one of them (or a group, or a membership) changes (core.auth_memory);
    and ending a user's API tokens when their password changes."""

    name = "core"
    verbose_name = _("Accounts and site")

    def ready(self):
        # The audit trail listens to sign-ins and history records from here on.
        from core import audit  # noqa: F401

        post_migrate.connect(_roles_sync, dispatch_uid="core.roles_sync")

        from django.contrib.auth.models import Group, Permission
        from knox.models import get_token_model

        from core.auth_memory import recent_auth_forget

        user_model = get_user_model()
        pre_save.connect(_password_change_note, sender=user_model, weak=False)
        post_save.connect(_password_change_tokens_end, sender=user_model, weak=False)
        for model in (get_token_model(), user_model, Group, Permission):
            for signal in (post_save, post_delete):
                signal.connect(recent_auth_forget, sender=model, weak=False)
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(recent_auth_forget, sender=through, weak=False)
