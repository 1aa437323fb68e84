"""Endpoint speed: `POST /api/v1/evaluate/` against the bare `/health/` view on the same stack.

gunicorn as gunicorn.conf.py sets it, on PostgreSQL (127.0.0.1:5432, database her2_load,
made afresh), the shared cache as `make load` picks it (Redis when one answers on
127.0.0.1:6379), token authentication and the throttles on (their rates raised so that no
request is refused; a refusal would count as an error). wrk drives each endpoint with 16
connections; the two are measured in turns, twice each, and the faster round of each is kept.
Evaluate posts 500 different valid synthetic profiles in turn (seed 20240511), not one
profile again and again, so no memo sees only one set of values.
Prints requests/s of both, their ratio (goal >= 0.4) and evaluate's p99 (goal < 30 ms).
Run by `make bench` when wrk and PostgreSQL are there (apt-get install -y wrk).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load  # the load test's database, environment and server start

SCRIPT = HERE / "endpoint.lua"
SECONDS = int(os.getenv("ENDPOINT_SECONDS", "15"))
CONNECTIONS = 16
ROUNDS = 2
RATIO_GOAL = 0.4
P99_GOAL_MS = 30.0


PROFILES = load.OUT / "endpoint-profiles.jsonl"
PROFILES_SCRIPT = """
import json, random, sys
sys.path.insert(0, "benchmarks")
from engine_bench import SEED, synthetic_profiles
from django.core.exceptions import ValidationError
from cases.profile import profile_clean
from rules.knowledge_base import knowledge_base_published
scales = knowledge_base_published().marker_scales
kept = []
for profile in synthetic_profiles(2000, scales, random.Random(SEED)):
    try:
        profile_clean(data=profile, marker_scales=scales)
    except ValidationError:
        continue
    kept.append(json.dumps(profile, separators=(",", ":")))
print("\\n".join(kept[:500]))
"""


def measure(path: str, token: str = "", bodies: Path | None = None) -> dict:
    command = [
        "wrk", "-t2", f"-c{CONNECTIONS}", "-d", f"{SECONDS}s", "--timeout", "10s",
        "-s", str(SCRIPT), load.BASE,
    ]  # fmt: skip
    environment = {**os.environ, "ENDPOINT_PATH": path, "ENDPOINT_TOKEN": token}
    environment["ENDPOINT_BODIES"] = str(bodies or "")
    output = subprocess.run(
        command, env=environment, check=True, capture_output=True, text=True,
        timeout=SECONDS + 60,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    if not shutil.which("wrk"):
        print("(endpoint benchmark skipped: wrk is needed, apt-get install -y wrk)")
        return
    load.OUT.mkdir(exist_ok=True)
    load.LOG = open(load.OUT / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    _, token = load.prepare()
    lines = load.manage("shell", "-c", PROFILES_SCRIPT).splitlines()
    PROFILES.write_text("\n".join(line for line in lines if line.startswith("{")) + "\n")
    server = load.gunicorn(load.ADDRESS)
    try:
        measure("/api/v1/evaluate/", token, PROFILES)  # warm every worker once, not counted
        health, evaluate = [], []
        for _ in range(ROUNDS):
            health.append(measure("/health/"))
            evaluate.append(measure("/api/v1/evaluate/", token, PROFILES))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    best_health = max(health, key=lambda result: result["rate"])
    best_evaluate = max(evaluate, key=lambda result: result["rate"])
    errors = sum(result["errors"] for result in health + evaluate)
    ratio = best_evaluate["rate"] / best_health["rate"]
    cache = "Redis" if load.SHARED_CACHE["REDIS_URL"] else "database cache"
    print(
        f"endpoint ({CONNECTIONS} connections, {SECONDS} s x {ROUNDS} rounds, PostgreSQL, {cache}):"
        f" /health/ {best_health['rate']:.0f} req/s (p99 {best_health['p99']:.1f} ms);"
        f" POST /api/v1/evaluate/ {best_evaluate['rate']:.0f} req/s"
        f" (p50 {best_evaluate['p50']:.1f} ms, p99 {best_evaluate['p99']:.1f} ms,"
        f" goal < {P99_GOAL_MS:.0f} ms): {ratio:.2f}x (goal >= {RATIO_GOAL}x); errors {errors}"
    )
    rounds = ", ".join(
        f"{h['rate']:.0f}/{e['rate']:.0f} p99 {e['p99']:.1f} ms"
        for h, e in zip(health, evaluate, strict=True)
    )
    print(f"  rounds (health/evaluate req/s): {rounds}")


if __name__ == "__main__":
    main()
