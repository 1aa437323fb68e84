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

A worker counts ahead: when a client's rate is high, one round trip takes a lease of up
to 1% of it (at most 100) and the next requests that client sends this worker spend the
lease without asking the cache, until it runs out or the window ends. A lease counts in
full when it is taken, so no client ever gets more than its rate across all workers; a
client spread over several workers may be refused up to (workers x (lease - 1)) requests
early (3 workers at 1,200/min: 33 early at worst, 2.75%). Rates under 200 per window
(the anonymous 120/min) lease one: every request is counted as it comes, as before.
"""

import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.memory import register

LEASE_SHARE = 100  # a lease is 1/100 of the rate
LEASE_MOST = 100
LEASES_KEPT = 10_000

# Client key -> (window number, requests left): what this worker leased and has not spent.
# The lock keeps threads of one worker (gthread, runserver) from spending one request twice.
_LEASES: dict[str, tuple[int, int]] = {}
_LEASES_LOCK = threading.Lock()


def lease_size(num_requests: int) -> int:
    """How many requests one round trip to the cache counts for a rate of num_requests."""
    return max(1, min(num_requests // LEASE_SHARE, LEASE_MOST))


def throttle_leases_forget() -> None:
    """Drop every unspent lease of this worker (the next request counts afresh)."""
    _LEASES.clear()


register(
    __name__,
    "_LEASES",
    holds="requests leased from each client's window and not yet spent",
    invalidated="the window's end; LEASES_KEPT bounds the entries",
    forget=throttle_leases_forget,
)


def window_count(cache, key: str, *, window: int, duration: int, amount: int = 1) -> int:
    """Count `amount` hits for `key` in window number `window`; the window's count so far."""
    if hasattr(cache, "window_incr"):  # core.cache.DatabaseCache: one row per client
        return cache.window_incr(key, window=window, timeout=duration, amount=amount)
    windowed = f"{key}:{window}"  # Redis and others: one key per client and window
    if isinstance(cache, RedisCache):
        # Django's RedisCache stores integers as plain Redis integers, so INCR counts them;
        # the key outlives its window by a second whatever the clock skew between servers.
        name = cache.make_and_validate_key(windowed)
        pipeline = cache._cache.get_client(write=True).pipeline(transaction=False)
        pipeline.incr(name, amount)
        pipeline.expire(name, duration + 1)
        count, _ = pipeline.execute()
        return count
    try:
        return cache.incr(windowed, amount)
    except ValueError:
        if cache.add(windowed, amount, duration + 1):
            return amount
        return cache.incr(windowed, amount)  # another worker created it first


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
        with _LEASES_LOCK:
            leased = _LEASES.get(key)
            if leased is not None and leased[0] == window and leased[1] > 0:
                _LEASES[key] = (window, leased[1] - 1)
                return True
        lease = lease_size(self.num_requests)
        count = window_count(self.cache, key, window=window, duration=self.duration, amount=lease)
        granted = min(lease, self.num_requests - (count - lease))  # those within the rate
        with _LEASES_LOCK:
            if len(_LEASES) >= LEASES_KEPT:
                _LEASES.clear()  # a bound on memory; an unspent lease is lost, never reused
            if granted <= 0:
                _LEASES.pop(key, None)
                return False
            leased = _LEASES.get(key)
            if leased is not None and leased[0] == window:  # another thread's lease too
                granted += leased[1]
            _LEASES[key] = (window, granted - 1)
        return True

    def wait(self) -> float:
        return max(self.window_ends - self.now, 1)


class AnonThrottle(FixedWindowMixin, AnonRateThrottle):
    """Anonymous requests, per client address (settings.NUM_PROXIES decides which)."""


class UserThrottle(FixedWindowMixin, UserRateThrottle):
    """Signed-in requests, per user."""
