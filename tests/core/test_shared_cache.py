"""The shared cache's request counter (core.cache) and the throttles built on it."""

import pytest
from django.core.cache import cache, caches

from core.cache import DatabaseCache
from core.throttling import window_count

pytestmark = pytest.mark.django_db


def test_the_default_cache_is_the_database_cache_with_the_counter():
    assert isinstance(caches["default"], DatabaseCache)


def test_a_counter_counts_within_its_window_and_starts_again_in_the_next():
    counts = [window_count(cache, "client-a", window=7, duration=60) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert window_count(cache, "client-b", window=7, duration=60) == 1
    assert window_count(cache, "client-a", window=8, duration=60) == 1
    assert window_count(cache, "client-a", window=8, duration=60) == 2


def test_a_counter_stays_readable_through_the_ordinary_cache_api():
    window_count(cache, "client-c", window=3, duration=60)
    assert cache.get("client-c") == (3, 1)


def _redis_cache():
    import socket

    from django.core.cache.backends.redis import RedisCache

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    redis_cache = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": "counter-test"})
    redis_cache.clear()
    return redis_cache


def test_a_redis_counter_counts_in_one_round_trip_and_expires_after_its_window():
    redis_cache = _redis_cache()
    counts = [window_count(redis_cache, "client-r", window=7, duration=60) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert window_count(redis_cache, "client-r", window=8, duration=60) == 1
    name = redis_cache.make_and_validate_key("client-r:7")
    client = redis_cache._cache.get_client(name)
    assert 59 <= client.ttl(name) <= 61
    assert redis_cache.get("client-r:7") == 3  # still an ordinary cache entry


def test_the_apis_throttle_counts_in_redis_without_two_step_increments(
    settings, monkeypatch, trainee
):
    from django.core.cache.backends.redis import RedisCache

    from tests.factories import token_client

    _redis_cache()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
        }
    }

    def two_steps(*args, **kwargs):
        raise AssertionError("Django's incr (EXISTS, then INCRBY) was used")

    monkeypatch.setattr(RedisCache, "incr", two_steps)
    assert token_client(trainee).get("/api/v1/mechanisms/").status_code == 200


def test_a_throttled_answer_says_when_to_come_back(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/hour", "user": "9/min"})
    answers = [client.get("/cds-services") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 3600


class _Client:
    is_authenticated = True
    pk = 41


class _Request:
    user = _Client()


def _throttle(monkeypatch, rate: str, leases: dict):
    from core import throttling

    monkeypatch.setattr(throttling.UserThrottle, "THROTTLE_RATES", {"user": rate})
    monkeypatch.setattr(throttling, "_LEASES", leases)  # one worker's memory
    throttle = throttling.UserThrottle()
    throttle.timer = lambda: 1_000_000.0  # every request in one window
    return throttle


def test_a_busy_client_is_counted_a_lease_at_a_time_and_gets_exactly_its_rate(monkeypatch):
    from core.throttling import lease_size

    assert lease_size(120) == 1 and lease_size(1200) == 12 and lease_size(10**6) == 100
    worker = {}
    window = int(1_000_000.0 // 60)

    def answer():
        return _throttle(monkeypatch, "500/min", worker).allow_request(_Request(), None)

    # 500/min leases 5: seven requests moved the shared counter twice, by five each.
    assert [answer() for _ in range(7)] == [True] * 7
    assert cache.get("throttle_user_41") == (window, 10)
    assert [answer() for _ in range(513)] == [True] * 493 + [False] * 20


def test_workers_sharing_a_client_never_let_more_than_its_rate_through(monkeypatch):
    workers = [{}, {}, {}]
    allowed = sum(
        _throttle(monkeypatch, "500/min", workers[turn % 3]).allow_request(_Request(), None)
        for turn in range(700)
    )
    # Each worker may be left holding up to 4 of a lease of 5 when the rate is reached.
    assert 500 - 3 * 4 <= allowed <= 500


def test_a_slow_client_is_counted_on_every_request(monkeypatch):
    worker = {}
    answers = [_throttle(monkeypatch, "3/min", worker).allow_request(_Request(), None)
               for _ in range(3)]  # fmt: skip
    assert answers == [True, True, True]
    worker.clear()  # another worker: it holds no lease, and none was taken ahead
    assert _throttle(monkeypatch, "3/min", worker).allow_request(_Request(), None) is False


def test_with_redis_a_signed_in_session_is_read_through_it(
    settings, client, trainee, django_assert_num_queries
):
    from cases.services import case_create
    from tests.factories import CONTRACT_EXAMPLE, PASSWORD

    _redis_cache()
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert (
        client.post(
            "/accounts/login/", {"username": trainee.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/cases/").status_code == 200
    # The session from Redis, the user and permissions from this worker's memory: 1 the
    # capped count, 2 the page of cases.
    with django_assert_num_queries(2):
        assert client.get("/cases/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/cases/").status_code == 302
