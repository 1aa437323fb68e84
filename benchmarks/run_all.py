"""Run every benchmark (make bench). Not part of make test; prints ratios and rates, each
with its goal: engine, CDS Hooks, de-identification, cohort, teaching pages, the case page
and evaluate in Ukrainian against English, import (SQLite,
PostgreSQL),
the evaluate endpoint against /health/ (PostgreSQL, wrk), and what each departure from
stock Django saves on its path (docs/performance.md). A benchmark that stops with
an error (deid_bench exits 1 when a goal is missed) does not stop the others: every figure
is printed, then the run fails naming it."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH = "postgres://postgres@127.0.0.1:5432/her2_bench"


FAILED: list[str] = []


def run(script: str, **env: str) -> None:
    print(f"== {script}", flush=True)
    done = subprocess.run([sys.executable, str(HERE / script)], cwd=ROOT, env={**os.environ, **env})
    if done.returncode:
        FAILED.append(script)


def postgres_ready() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'her2_bench'")
            if not exists.fetchone():
                connection.execute("CREATE DATABASE her2_bench")
        return True
    except Exception as exc:  # any failure means: skip the PostgreSQL figure, say why
        print(f"(PostgreSQL import benchmark skipped: {exc})")
        return False


if __name__ == "__main__":
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    run("engine_bench.py")
    run("cds_bench.py")
    run("deid_bench.py")
    run("cohort_bench.py")
    run("teaching_bench.py")
    run("languages_bench.py")
    with tempfile.TemporaryDirectory() as folder:
        run("import_bench.py", DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3")
    if postgres_ready():
        run("import_bench.py", DATABASE_URL=POSTGRES_BENCH)
        run("endpoint_bench.py")  # skips itself, saying why, without wrk
        # What each departure from stock Django saves (docs/performance.md), on PostgreSQL.
        run("departures_bench.py", DATABASE_URL=POSTGRES_BENCH)
    else:
        run("departures_bench.py")
    if FAILED:
        sys.exit(f"stopped with an error or a missed goal: {', '.join(FAILED)}")
