"""The audit trail: sign-ins, refusals and every change of a case or the knowledge base.

One logger (`her2board.audit`), one line per event, `key=value` pairs. Only identifiers
are logged (usernames, case codes, rule slugs, paths): never passwords, tokens or notes.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

logger = logging.getLogger("her2board.audit")
CHANGE = {"+": "created", "~": "changed", "-": "deleted"}


def _path(request) -> str:
    return getattr(request, "path", "-") if request is not None else "-"


def audit(event: str, **fields) -> None:
    logger.info(event + " " + " ".join(f"{key}={value}" for key, value in fields.items()))


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit("sign-in.ok", user=user.get_username(), path=_path(request))


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; only the username is kept.
    audit("sign-in.failed", user=credentials.get("username", "-"), path=_path(request))


@receiver(post_create_historical_record)
def _changed(sender, instance, history_instance, **kwargs):
    user = history_instance.history_user
    audit(
        "change",
        model=instance._meta.label_lower,
        object=getattr(instance, "code", None)
        or getattr(instance, "slug", None)
        or getattr(instance, "key", None)
        or instance.pk,
        action=CHANGE.get(history_instance.history_type, history_instance.history_type),
        user=user.get_username() if user else "-",
    )
