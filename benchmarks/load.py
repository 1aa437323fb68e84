"""Load test: gunicorn on PostgreSQL, locust headless, 60 s at 16 and 64 users.

Prints requests/s, p50/p95/p99 per request type, errors, and checks afterwards that every
case the run created exists exactly once. Traffic goes to 127.0.0.1 only; every run is
bounded in time. Run with `make load` (needs PostgreSQL on 127.0.0.1:5432).
"""

import csv
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DATABASE = "postgres://postgres@127.0.0.1:5432/her2_load"
PORT = 8765
SECONDS = int(os.getenv("LOAD_SECONDS", "60"))
USERS = [int(u) for u in os.getenv("LOAD_USERS", "16,64").split(",")]
LOG = None  # the server's log file, opened by main()


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "DJANGO_SECRET_KEY": "load-test-only-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_THROTTLE_USER": "1000000/min",
        "DJANGO_THROTTLE_ANON": "1000000/min",
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def manage(*args: str, **extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**env(), **extra},
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout


def prepare() -> tuple[str, str, str]:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS her2_load")
        c.execute("CREATE DATABASE her2_load")
    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    password = secrets.token_urlsafe(16)
    token = manage(
        "shell", "-c",
        "from django.contrib.auth.models import User, Group; "
        "from rest_framework.authtoken.models import Token; "
        f"u = User.objects.create_user('load', password='{password}'); "
        "u.groups.add(Group.objects.get(name='trainee')); "
        "print(Token.objects.create(user=u).key)",
    ).strip().splitlines()[-1]  # fmt: skip
    return "load", password, token


def serve() -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "3", "--threads", "4", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env(), stdout=LOG, stderr=LOG,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run(users: int, user: str, password: str, token: str) -> None:
    created = OUT / f"load-created-{users}.tsv"
    created.unlink(missing_ok=True)
    prefix = OUT / f"load-{users}"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
         "--headless", "-u", str(users), "-r", str(users), "-t", f"{SECONDS}s",
         "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "ERROR"],
        cwd=ROOT, check=False, timeout=SECONDS + 120, stdout=subprocess.DEVNULL,
        env={**os.environ, "LOAD_TOKEN": token, "LOAD_USER": user, "LOAD_PASSWORD": password,
             "LOAD_RUN": f"u{users}", "LOAD_CREATED": str(created)},
    )  # fmt: skip
    report(users, prefix, created)


def report(users: int, prefix: Path, created: Path) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{users} users, {SECONDS} s:")
    for row in rows:
        print(
            f"  {row['Name']:<12} {float(row['Requests/s']):7.1f} req/s  p50 {row['50%']:>5} ms"
            f"  p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms  errors {row['Failure Count']}"
        )
    lines = created.read_text().splitlines() if created.exists() else []
    codes = [line.split("\t")[0] for line in lines]
    script = (
        "from cases.models import CaseProfile as C\n"
        f"codes = {codes!r}\n"
        "found = C.objects.filter(code__in=codes).count()\n"
        f"notes = list(C.objects.filter(notes__startswith='load u{users} ')"
        ".values_list('notes', flat=True))\n"
        "print(len(codes), len(set(codes)), found, len(notes), len(set(notes)))"
    )
    check = manage("shell", "-c", script).split()
    sent, unique, found, stored, distinct = map(int, check[-5:])
    verdict = "OK" if sent == unique == found == stored == distinct else "MISMATCH"
    print(f"  writes: {sent} created, {found} found by code, {stored} stored, ", end="")
    print(f"{distinct} distinct: {verdict}")


def main() -> None:
    global LOG
    OUT.mkdir(exist_ok=True)
    LOG = open(OUT / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    user, password, token = prepare()
    server = serve()
    try:
        for users in USERS:
            run(users, user, password, token)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
