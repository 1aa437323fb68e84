"""Rate limits hold per client across gunicorn workers (security review L1): the throttle's
counters live in the shared cache (a database table by default, Redis with REDIS_URL), not
in each worker's memory."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LIMIT = 10
REDIS = ("127.0.0.1", 6379)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def _status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Connection": "close"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _serve(env: dict, port: int):
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--workers", "3"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _status(f"http://127.0.0.1:{port}/health/") == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode()[-2000:])
        time.sleep(0.2)  # waiting for the server to start, not timing anything
    server.kill()
    raise AssertionError("gunicorn did not start within 60 s")


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_anonymous_limit_holds_across_three_gunicorn_workers(tmp_path, cache):
    if cache == "redis" and not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "test-only-not-a-secret",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_THROTTLE_ANON": f"{LIMIT}/hour",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    if cache == "redis":
        import redis

        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        redis.Redis(host=REDIS[0], port=REDIS[1], db=15).flushdb()
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = _serve(env, port)
    try:
        # Nine at a time, so every worker serves some and they race on the same counter.
        with ThreadPoolExecutor(max_workers=9) as pool:
            statuses = list(
                pool.map(_status, [f"http://127.0.0.1:{port}/cds-services"] * (3 * LIMIT))
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 2 * LIMIT
