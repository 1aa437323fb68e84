"""API tokens move from DRF's table, which kept them in clear, to django-rest-knox's, which
keeps SHA-512 digests (issue #33, L11). Each old token keeps working, stored as its digest,
and expires like a new one counted from this migration: an idle timeout and a lifetime
(settings.API_TOKEN_IDLE_TIMEOUT, settings.API_TOKEN_LIFETIME). The old table is dropped.

On a fresh database there is no old table and this does nothing.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

OLD_TABLE = "authtoken_token"


def tokens_hash(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, user_id FROM {quote(OLD_TABLE)}")  # noqa: S608
        rows = cursor.fetchall()
    now = timezone.now()
    token_model = apps.get_model("knox", "AuthToken")
    token_model.objects.bulk_create(
        token_model(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            created=now,
            expiry=now + settings.API_TOKEN_IDLE_TIMEOUT,
        )
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {quote(OLD_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_cache_table"), ("knox", "0009_extend_authtoken_field")]
    operations = [migrations.RunPython(tokens_hash, migrations.RunPython.noop)]
