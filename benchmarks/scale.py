"""A million stored cases (make bench-scale; not in CI, a few minutes).

Builds PostgreSQL database her2_scale afresh (127.0.0.1:5432) with SCALE_CASES synthetic
cases (default 1,000,000) through the bulk import (cases.services.cases_import, in chunks of
100,000), then, on gunicorn as gunicorn.conf.py sets it, drives 16 connections with wrk for
SCALE_SECONDS (default 30) over: the API case list filtered, the web case list filtered, the
case page (cycling through 1,000 stored cases) and evaluate (4:4:4:4). Prints requests/s and
p50/p99 per kind (goal: p99 under 100 ms) beside bare /health/'s requests/s at the same 16
connections (the goal is absolute; that yardstick says how fast the machine was). Then the
cohort dashboard over every stored case (goal: under 2 s): its stored evaluations built
first (board.stored; what `manage.py stored_evaluations_rebuild` does after a bulk import or
a release of a store this large), then the page through gunicorn, slowest of three loads.
SCALE_REUSE=1 measures the database a previous run built, without building it again;
SCALE_PARTS=load or =dashboard measures one of the two.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import endpoint_bench  # its /health/ measurement, the yardstick printed with the figures
import load  # database, environment, server start and sign-in of the load test

load.DATABASE = "postgres://postgres@127.0.0.1:5432/her2_scale"
CASES = int(os.getenv("SCALE_CASES", "1000000"))
SECONDS = int(os.getenv("SCALE_SECONDS", "30"))
CHUNK = 100_000
PARTS = os.getenv("SCALE_PARTS", "load,dashboard").split(",")
FILTERS = "setting=metastatic&her2_status=positive&trastuzumab_response=acquired_resistance"
PATHS = {
    "list": f"/api/v1/cases/?{FILTERS}",
    "weblist": f"/cases/?{FILTERS}",
}
MIX = {"list": 4, "weblist": 4, "page": 4, "evaluate": 4}
P99_GOAL_MS = 100.0
DASHBOARD_GOAL_S = 2.0

IMPORT_SCRIPT = f"""
import time
from benchmarks.synthetic import SEED, synthetic_frame
from cases.selectors import marker_scales_get
from cases.services import cases_import
from django.db import connection
scales = marker_scales_get()
start = time.perf_counter()
done = 0
while done < {CASES}:
    rows = min({CHUNK}, {CASES} - done)
    done += cases_import(frame=synthetic_frame(rows, scales, seed=SEED + done))
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")  # statistics, and the visibility map index-only scans need
print(f"IMPORTED {{done}} {{time.perf_counter() - start:.1f}}")
"""
CODES_SCRIPT = """
from cases.models import CaseProfile
codes = CaseProfile.objects.order_by("?").values_list("code", flat=True)[:1000]
print("CODES " + ",".join(codes))
"""


def _last(output: str, marker: str) -> str:
    return next(line for line in reversed(output.splitlines()) if line.startswith(marker))


REUSE_SCRIPT = """
import secrets
from django.contrib.auth.models import User
from core.services import api_token_issue
password = secrets.token_urlsafe(16)
user = User.objects.get(username="load")
user.set_password(password)
user.save()
print(f"LOGIN {password} {api_token_issue(user=user)}")  # the password change ended the old
"""


def build() -> tuple[str, str, list[str]]:
    """The database: made afresh, or with SCALE_REUSE=1 the one a previous run made."""
    if os.getenv("SCALE_REUSE") == "1":
        password, token = _last(load.manage("shell", "-c", REUSE_SCRIPT), "LOGIN").split()[1:]
    else:
        password, token = load.prepare()
        imported = _last(load.manage("shell", "-c", IMPORT_SCRIPT), "IMPORTED").split()
        count, seconds = int(imported[1]), float(imported[2])
        print(f"import: {count:,} cases in {seconds:.0f} s ({count / seconds:,.0f} rows/s)")
    codes = _last(load.manage("shell", "-c", CODES_SCRIPT), "CODES").split()[1].split(",")
    return password, token, codes


def drive(token: str, cookie: str, codes: list[str]) -> list[dict]:
    environment = {
        **os.environ,
        "LOAD_TOKEN": token,
        "LOAD_COOKIE": cookie,
        "LOAD_CODES": ",".join(codes),
        "LOAD_RUN": "scale",
        "LOAD_CREATED": str(load.OUT / "scale-created.tsv"),
        "LOAD_LIST_PATH": PATHS["list"],
        "LOAD_WEBLIST_PATH": PATHS["weblist"],
    }
    command = ["wrk", "-t1", "-d", f"{SECONDS}s", "--timeout", "10s", "-s", str(load.SCRIPT)]
    workers = [
        subprocess.Popen(
            [*command, "-c", str(share), load.BASE],
            env={**environment, "LOAD_KIND": kind},
            stdout=subprocess.PIPE,
            text=True,
        )
        for kind, share in MIX.items()
    ]
    return [
        json.loads(worker.communicate(timeout=SECONDS + 60)[0].strip().splitlines()[-1])
        for worker in workers
    ]


DASHBOARD_SCRIPT = """
import time
from board.stored import stored_dashboard, stored_evaluations_update
from cases.models import CaseProfile
from rules.knowledge_base import knowledge_base_published
kb = knowledge_base_published()
start = time.perf_counter()
built = stored_evaluations_update(knowledge_base=kb)
seconds = time.perf_counter() - start
start = time.perf_counter()
dashboard = stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
print(f"DASHBOARD {dashboard['total']} {built} {seconds:.2f} {time.perf_counter() - start:.2f}")
# The web case list, filtered, with its capped count and with Django's Paginator counting
# every match (docs/performance.md): the median of 5 of each, in turns.
import statistics
from unittest import mock
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.test import Client
import cases.views
client = Client()
client.force_login(get_user_model().objects.get(username="load"))
def listed():
    start = time.perf_counter()
    assert client.get(LIST_PATH, HTTP_HOST="127.0.0.1").status_code == 200
    return time.perf_counter() - start
def stock(object_list, per_page, **kwargs):
    return Paginator(object_list, per_page)
capped, counted = [], []
listed()
for _ in range(5):
    capped.append(listed())
    with mock.patch.object(cases.views, "CappedPaginator", stock):
        counted.append(listed())
print(f"LIST {statistics.median(capped):.4f} {statistics.median(counted):.4f}")
from django.db import connection
with connection.cursor() as cursor:
    # The million rows just written: their vacuum and checkpoint now, not during the load.
    cursor.execute("VACUUM ANALYZE")
    cursor.execute("CHECKPOINT")
"""


def dashboard_stored() -> tuple[int, int, float, float]:
    """Stored evaluations built for every case (what stored_evaluations_rebuild does), then
    the dashboard's counts from them, in one process: cases, rows built, seconds for each."""
    script = DASHBOARD_SCRIPT.replace("LIST_PATH", repr(PATHS["weblist"]))
    output = load.manage("shell", "-c", script)
    found = _last(output, "DASHBOARD").split()
    listed = _last(output, "LIST").split()
    print(
        f"web case list, filtered, in one process: {float(listed[1]) * 1000:.1f} ms with the"
        f" capped count, {float(listed[2]) * 1000:.1f} ms with Django's Paginator counting"
        f" every match: the cap saves {1 - float(listed[1]) / float(listed[2]):.0%}"
        " (docs/performance.md)"
    )
    return int(found[1]), int(found[2]), float(found[3]), float(found[4])


def dashboard_page(cookie: str) -> float:
    """The slowest of three loads of the page (every stored case, no filter)."""
    slowest = 0.0
    for _ in range(3):
        request = urllib.request.Request(f"{load.BASE}/cohort/", headers={"Cookie": cookie})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            page = response.read().decode()
        slowest = max(slowest, time.perf_counter() - start)
        assert f"{CASES:,}" in page or str(CASES) in page, "the dashboard did not count every case"
    return slowest


def health_rate() -> float:
    """The machine's yardstick: bare `/health/` at the same 16 connections, measured as the
    endpoint benchmark measures its denominator, so figures from different machines compare."""
    return endpoint_bench.measure("/health/")["rate"]


def main() -> None:
    load.OUT.mkdir(exist_ok=True)
    load.LOG = open(load.OUT / "gunicorn-scale.log", "w", encoding="utf-8")  # noqa: SIM115
    password, token, codes = build()
    results, page = [], 0.0
    if "dashboard" in PARTS:
        total, built, build_seconds, counted = dashboard_stored()
    server = load.gunicorn(load.ADDRESS)
    try:
        cookie = load.session_cookie(password)
        if "load" in PARTS:
            health = health_rate()
            results = drive(token, cookie, codes)
        if "dashboard" in PARTS:
            page = dashboard_page(cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    labels = {**load.LABELS, "list": "API list, filtered", "weblist": "web list, filtered"}
    if results:
        print(
            f"{CASES:,} stored cases, 16 connections, {SECONDS} s (goal p99 < 100 ms;"
            f" this machine's bare /health/ at 16 connections: {health:,.0f} req/s):"
        )
    for result in results:
        rate = result["requests"] / result["seconds"]
        print(
            f"  {labels[result['kind']]:<26} {rate:7.1f} req/s  p50 {result['p50']:6.1f} ms"
            f"  p99 {result['p99']:6.1f} ms  errors {result['errors']}"
        )
    if "dashboard" in PARTS:
        print(
            f"cohort dashboard over all {total:,} stored cases: the page {page:.2f} s"
            f" (goal < {DASHBOARD_GOAL_S:.0f} s; slowest of 3 loads), its counts {counted:.2f} s;"
            f" stored evaluations built for {built:,} cases first in {build_seconds:.1f} s"
            " (manage.py stored_evaluations_rebuild, as after a bulk import or a release)"
        )


if __name__ == "__main__":
    main()
