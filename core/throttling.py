"""API rate limits that hold across workers and servers: a fixed-window counter per client
in the shared cache (settings.CACHES), one atomic increment per request.

DRF's own throttles keep a list of request times, read and written back in two steps, so
workers racing on one client each let requests through. Here each request adds one to the
client's counter for the current window (`<scope>:<client>:<window number>`) in one round
trip to the cache (Redis: INCR and EXPIRE pipelined; the database cache: see
core.cache.DatabaseCache.window_incr); past the
rate, the answer is 429 with Retry-After set to the seconds left in the window. A window
that starts mid-burst can let up to twice the rate through across its boundary, as fixed
windows do.
"""

import weakref

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def window_count(cache, key: str, *, window: int, duration: int) -> int:
    """Count one hit for `key` in window number `window`; the window's count so far."""
    if hasattr(cache, "window_incr"):  # core.cache.DatabaseCache: one row per client
        return cache.window_incr(key, window=window, timeout=duration)
    windowed = f"{key}:{window}"  # Redis and others: one key per client and window
    if isinstance(cache, RedisCache):
        # Django's RedisCache stores integers as plain Redis integers, so INCR counts them;
        # the key outlives its window by a second whatever the clock skew between servers.
        name = cache.make_and_validate_key(windowed)
        pipeline = _redis_client(cache).pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, duration + 1)
        count, _ = pipeline.execute()
        return count
    try:
        return cache.incr(windowed)
    except ValueError:
        if cache.add(windowed, 1, duration + 1):
            return 1
        return cache.incr(windowed)  # another worker created it first


# One client per connection pool: Django's get_client() builds a new redis.Redis (and its
# table of ~170 reply parsers) on every call, which cost more than the round trip.
_REDIS_CLIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_client(cache: RedisCache):
    pool = cache._cache._get_connection_pool(True)  # the server writes go to
    client = _REDIS_CLIENTS.get(pool)
    if client is None:
        client = _REDIS_CLIENTS[pool] = cache._cache._client(connection_pool=pool)
    return client


class FixedWindowMixin:
    @property
    def cache(self):
        # The backend itself, not django.core.cache.cache (a proxy that hides its class
        # from window_count's check for Redis).
        return caches["default"]

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        count = window_count(self.cache, key, window=window, duration=self.duration)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(self.window_ends - self.now, 1)


class AnonThrottle(FixedWindowMixin, AnonRateThrottle):
    """Anonymous requests, per client address (settings.NUM_PROXIES decides which)."""


class UserThrottle(FixedWindowMixin, UserRateThrottle):
    """Signed-in requests, per user."""
