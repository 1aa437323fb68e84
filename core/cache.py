"""The shared cache's database backend (settings.CACHES, without REDIS_URL): Django's
database cache, with a per-client request counter that holds when workers race.

Counting through Django's `incr` reads and writes in two steps, so two workers counting
the same client at once lose a count. `window_incr` writes with a compare-and-swap
instead: the row changes only if it still holds the value read, otherwise it is read
again. It needs no lock, costs two queries on every path (read, then insert or update),
and works the same on SQLite and PostgreSQL. Redis (REDIS_URL) has an atomic INCR.
"""

import base64
import pickle
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils import timezone

CAS_ATTEMPTS = 50


class DatabaseCache(DjangoDatabaseCache):
    def _encoded(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def window_incr(self, key: str, *, window: int, timeout: float, amount: int = 1) -> int:
        """Count `amount` hits for `key` in fixed window number `window`; the window's count.

        The row holds (window, count); a hit in a later window starts again at `amount`.
        """
        key = self.make_and_validate_key(key)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = datetime.now(tz=UTC) + timedelta(seconds=timeout)
        if not settings.USE_TZ:
            expires = timezone.make_naive(expires, UTC)
        expires = connection.ops.adapt_datetimefield_value(expires)
        select = f"SELECT value FROM {table} WHERE cache_key = %s"  # noqa: S608
        insert = (
            f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        update = (
            f"UPDATE {table} SET value = %s, expires = %s "  # noqa: S608
            "WHERE cache_key = %s AND value = %s"
        )
        with connection.cursor() as cursor:
            for _ in range(CAS_ATTEMPTS):
                cursor.execute(select, [key])
                row = cursor.fetchone()
                if row is None:
                    cursor.execute(insert, [key, self._encoded((window, amount)), expires])
                    if cursor.rowcount == 1:
                        return amount
                    continue  # another worker inserted it first: read it
                # Only this project's code writes the table, so its values are trusted.
                stored = pickle.loads(base64.b64decode(row[0].encode()))  # noqa: S301
                count = stored[1] + amount if stored[0] == window else amount
                cursor.execute(update, [self._encoded((window, count)), expires, key, row[0]])
                if cursor.rowcount == 1:
                    return count
        raise RuntimeError(f"The counter {key} changed {CAS_ATTEMPTS} times while counting.")
