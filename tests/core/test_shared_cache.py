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


def test_a_throttled_answer_says_when_to_come_back(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/hour", "user": "9/min"})
    answers = [client.get("/cds-services") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 3600
