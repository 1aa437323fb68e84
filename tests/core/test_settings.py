"""Settings: production checks are silent, and a missing secret is refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_silent_with_debug_off_and_a_real_secret():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x7!kQ2-very-long-random-production-secret-9fG3mZpL0aQw8eRt5yUi",
        DJANGO_ALLOWED_HOSTS="board.example.org",
        DJANGO_DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_the_site_refuses_to_start():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_mistyped_yes_or_no_variable_stops_the_site_with_what_it_accepts():
    result = _manage("check", DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture'" in result.stderr and "true" in result.stderr


def _gunicorn_config(monkeypatch, **env: str):
    import importlib.util

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_runs_cores_plus_one_sync_workers_unless_told(monkeypatch):
    config = _gunicorn_config(monkeypatch)
    assert (config.worker_class, config.workers) == ("sync", (os.cpu_count() or 1) + 1)
    assert _gunicorn_config(monkeypatch, GUNICORN_WORKERS="7").workers == 7


def test_gunicorn_workers_keep_start_up_objects_out_of_collections(monkeypatch):
    import gc

    config = _gunicorn_config(monkeypatch)
    gc.unfreeze()
    try:
        config.post_worker_init(worker=None)
        # Start-up objects (Django, the URLconf and its views) are frozen, so the collector's
        # full passes no longer walk them: those passes were the p99 under load.
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()


def test_sessions_are_read_through_redis_only_when_redis_is_the_shared_cache():
    show = "from django.conf import settings; print(settings.SESSION_ENGINE, settings.CACHES)"
    secret = {"DJANGO_SECRET_KEY": "test-only-not-a-secret", "DJANGO_SECURE_SSL_REDIRECT": "0"}
    with_redis = _manage("shell", "-c", show, REDIS_URL="redis://127.0.0.1:6379/13", **secret)
    without = _manage("shell", "-c", show, REDIS_URL="", **secret)
    assert with_redis.returncode == 0 and without.returncode == 0, with_redis.stderr
    assert "sessions.backends.cached_db" in with_redis.stdout
    assert "django.core.cache.backends.redis.RedisCache" in with_redis.stdout
    assert "sessions.backends.db " in without.stdout
    assert "core.cache.DatabaseCache" in without.stdout
