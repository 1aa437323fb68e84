"""Load test: gunicorn on PostgreSQL under wrk, 60 s at 16 and 64 connections, first on one
app server, then on two behind HAProxy (deploy/haproxy.cfg) sharing the database and cache.

The mix is case list, case page, evaluate and case create (4:3:4:1 of the connections), each
kind driven by its own wrk process (benchmarks/load.lua) so each gets its own latency
histogram. Prints requests/s, p50/p95/p99 and errors per kind, then checks that every case
the run was told was created exists exactly once, with the notes it was sent. Traffic goes
to 127.0.0.1 only and every run is bounded in time. Run with `make load` (needs wrk and
haproxy, from Debian's packages, and PostgreSQL on 127.0.0.1:5432). The shared cache is
Redis when one answers on 127.0.0.1:6379, otherwise the database's cache table.
LOAD_TOPOLOGY=single or =proxy runs one of the two. Each then runs the slow-client
scenario (20 clients trickling request bodies while /health/ is probed) and the upload
scenario (three hostile tables uploaded at once while /health/ is probed);
LOAD_SCENARIOS=mix, =slow or =uploads (or a comma-separated list) runs some of them.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SCRIPT = ROOT / "benchmarks" / "load.lua"
DATABASE = "postgres://postgres@127.0.0.1:5432/her2_load"
ADDRESS = "127.0.0.1:8765"
BASE = f"http://{ADDRESS}"
APP_ADDRESSES = ["127.0.0.1:8766", "127.0.0.1:8767"]  # behind the proxy on ADDRESS
HAPROXY = ROOT / "deploy" / "haproxy.cfg"
TOPOLOGIES = os.getenv("LOAD_TOPOLOGY", "single,proxy").split(",")
# The wrk mix, the slow-client scenario and the upload scenario; LOAD_SCENARIOS=slow runs
# one of them.
SCENARIOS = os.getenv("LOAD_SCENARIOS", "mix,slow,uploads").split(",")
REDIS_URL = "redis://127.0.0.1:6379/14"
SECONDS = int(os.getenv("LOAD_SECONDS", "60"))
CONNECTIONS = [int(c) for c in os.getenv("LOAD_CONNECTIONS", "16,64").split(",")]
MIX = {"list": 4, "page": 3, "evaluate": 4, "create": 1}
LABELS = {"list": "case list", "page": "case page", "evaluate": "evaluate", "create": "case create"}
PROFILE = {
    "setting": "metastatic",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab", "pertuzumab"],
    "her2_ihc": "3+",
    "er": "positive",
    "pik3ca": "mutated",
    "markers": {"MUC4": "high"},
}
LOG = None  # the server's log file, opened by main()


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


SHARED_CACHE = {"REDIS_URL": REDIS_URL} if _redis_up() else {"REDIS_URL": ""}


def env(**extra: str) -> dict[str, str]:
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
        **SHARED_CACHE,
        **extra,
    }


def manage(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(),
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout


def prepare() -> tuple[str, str]:
    """A fresh database (DATABASE) with the knowledge base and one trainee; returns password
    and token."""
    import psycopg

    name = DATABASE.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    password = secrets.token_urlsafe(16)
    token = manage(
        "shell", "-c",
        "from django.contrib.auth.models import User, Group; "
        "from core.services import api_token_issue; "
        f"u = User.objects.create_user('load', password='{password}'); "
        "u.groups.add(Group.objects.get(name='trainee')); "
        "print(api_token_issue(user=u))",
    ).strip().splitlines()[-1]  # fmt: skip
    return password, token


def _wait_for(url: str, servers: list[subprocess.Popen]) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)  # waiting for start-up
    for server in servers:
        server.terminate()
    raise SystemExit(f"{url} did not answer")


def gunicorn(address: str, **extra: str) -> subprocess.Popen:
    # gunicorn.conf.py (read from ROOT) sets the workers, as it does for `make serve`.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", address],
        cwd=ROOT, env=env(**extra), stdout=LOG, stderr=LOG,
    )  # fmt: skip
    _wait_for(f"http://{address}/health/", [server])
    return server


def serve(topology: str) -> list[subprocess.Popen]:
    """One gunicorn on ADDRESS, or two behind HAProxy on ADDRESS; every process started."""
    if topology == "single":
        return [gunicorn(ADDRESS)]
    if not shutil.which("haproxy"):
        raise SystemExit("haproxy is needed: apt-get install -y haproxy")
    apps = [gunicorn(address, DJANGO_NUM_PROXIES="1") for address in APP_ADDRESSES]
    proxy = subprocess.Popen(
        ["haproxy", "-db", "-f", str(HAPROXY)],
        env={**os.environ, "HER2_PROXY_BIND": ADDRESS,
             "HER2_APP1": APP_ADDRESSES[0], "HER2_APP2": APP_ADDRESSES[1]},
        stdout=LOG, stderr=LOG,
    )  # fmt: skip
    _wait_for(f"{BASE}/health/", [*apps, proxy])
    return [proxy, *apps]


def seed(token: str, count: int = 50) -> list[str]:
    """A full first page of cases for the list, and the codes the case page cycles through."""
    codes = []
    for _ in range(count):
        request = urllib.request.Request(
            f"{BASE}/api/v1/cases/", data=json.dumps(PROFILE).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            codes.append(json.load(response)["code"])
    return codes


def session_cookie(password: str) -> str:
    """Signs in through the web form, as a browser would, for the case page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{BASE}/accounts/login/", timeout=10) as response:
        page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": "load", "password": password, "csrfmiddlewaretoken": csrf}
    opener.open(f"{BASE}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=10)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not sign in for the case page")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def split(connections: int) -> dict[str, int]:
    """Connections per kind in the mix's proportions (largest remainder, at least one each)."""
    total = sum(MIX.values())
    shares = {kind: max(1, connections * weight // total) for kind, weight in MIX.items()}
    by_remainder = sorted(MIX, key=lambda kind: -(connections * MIX[kind] % total))
    for kind in by_remainder[: connections - sum(shares.values())]:
        shares[kind] += 1
    return shares


def run(connections: int, token: str, cookie: str, codes: list[str], topology: str) -> None:
    created = OUT / f"load-created-{topology}-{connections}.tsv"
    created.unlink(missing_ok=True)
    label = f"{topology} c{connections}"  # notes text: letters, digits and spaces
    base_env = {
        **os.environ,
        "LOAD_TOKEN": token,
        "LOAD_COOKIE": cookie,
        "LOAD_CODES": ",".join(codes),
        "LOAD_RUN": label,
        "LOAD_CREATED": str(created),
    }
    shares = split(connections)
    command = ["wrk", "-t1", "-d", f"{SECONDS}s", "--timeout", "10s", "-s", str(SCRIPT), BASE]
    workers = [
        subprocess.Popen(
            [*command, "-c", str(share)],
            env={**base_env, "LOAD_KIND": kind},
            stdout=subprocess.PIPE,
            text=True,
        )
        for kind, share in shares.items()
    ]
    results = []
    for worker in workers:
        output, _ = worker.communicate(timeout=SECONDS + 60)
        results.append(json.loads(output.strip().splitlines()[-1]))
    report(connections, shares, results, topology)
    verify(label, created, shares["create"])


TOPOLOGY_LABELS = {
    "single": "one gunicorn",
    "proxy": "two gunicorn instances behind HAProxy, one PostgreSQL and one shared cache",
}


def report(connections: int, shares: dict[str, int], results: list[dict], topology: str) -> None:
    cache = "Redis" if SHARED_CACHE["REDIS_URL"] else "database cache"
    print(f"{TOPOLOGY_LABELS[topology]} ({cache}), {connections} connections, {SECONDS} s:")
    for result in results:
        kind = result["kind"]
        rate = result["requests"] / result["seconds"]
        print(
            f"  {LABELS[kind]:<12} {shares[kind]:>3} conn {rate:7.1f} req/s"
            f"  p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms"
            f"  p99 {result['p99']:6.1f} ms  errors {result['errors']}"
        )
    total = sum(result["requests"] / result["seconds"] for result in results)
    print(f"  {'all':<12} {connections:>3} conn {total:7.1f} req/s")


def verify(label: str, created: Path, in_flight: int) -> None:
    """Every acknowledged create exists exactly once with its notes; nothing is stored twice.

    wrk stops on the clock, so up to one create per create connection may be stored without
    its answer having been read: those are counted apart, not as lost or duplicated.
    """
    lines = created.read_text().splitlines() if created.exists() else []
    acknowledged = dict(line.split("\t") for line in lines)
    script = (
        "import json\nfrom cases.models import CaseProfile as C\n"
        f"rows = list(C.objects.filter(notes__startswith='load {label} ')"
        ".values_list('code', 'notes'))\n"
        "print(json.dumps(rows))"
    )
    stored = json.loads(manage("shell", "-c", script).strip().splitlines()[-1])
    stored_notes = [notes for _, notes in stored]
    lost = [code for code, notes in acknowledged.items() if [code, notes] not in stored]
    duplicated = len(stored_notes) - len(set(stored_notes))
    unanswered = len(stored) - len(acknowledged)
    ok = len(lines) == len(acknowledged) and not lost and not duplicated
    ok = ok and 0 <= unanswered <= in_flight
    print(
        f"  writes: {len(acknowledged)} acknowledged, {len(stored)} stored, {len(lost)} lost, "
        f"{duplicated} duplicated, {unanswered} in flight at the stop: "
        f"{'OK' if ok else 'MISMATCH'}"
    )


SLOW_CLIENTS = 20
SLOW_SECONDS = 15  # each slow client trickles its body for at most this long


def slow_clients(topology: str) -> None:
    """20 clients that send a request body one byte a second, while /health/ is asked every
    half second: behind HAProxy (option http-buffer-request) gunicorn never waits for
    them; on gunicorn alone they hold its sync workers (the contrast). Bounded: 20
    sockets, SLOW_SECONDS, at most 2 probes a second."""
    import socket

    sockets = []
    for _ in range(SLOW_CLIENTS):
        host, port = ADDRESS.split(":")
        client = socket.create_connection((host, int(port)), timeout=5)
        client.sendall(
            b"POST /api/v1/evaluate/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        )
        sockets.append(client)
    timings, failures = [], 0
    started = time.monotonic()
    while time.monotonic() - started < SLOW_SECONDS:
        for client in sockets:
            # OSError: the proxy gave up on it (timeout http-request), as intended.
            with contextlib.suppress(OSError):
                client.sendall(b" ")
        probe = time.monotonic()
        try:
            urllib.request.urlopen(f"{BASE}/health/", timeout=5).read()
            timings.append(time.monotonic() - probe)
        except OSError:
            failures += 1
        time.sleep(0.5)
    for client in sockets:
        client.close()
    timings.sort()
    p50 = timings[len(timings) // 2] * 1000 if timings else float("nan")
    worst = timings[-1] * 1000 if timings else float("nan")
    print(
        f"{topology}: {SLOW_CLIENTS} slow clients trickling bodies for {SLOW_SECONDS} s; /health/ "
        f"answered {len(timings)} of {len(timings) + failures} probes, p50 {p50:.0f} ms, "
        f"worst {worst:.0f} ms"
    )


UPLOADS = 3
UPLOAD_MB = 18  # under the site's 20 MB body limit for /cohort/


def _hostile_table() -> bytes:
    """A table whose every cell is valid and whose notes are long and all different: the
    most checking (the identifier screen reads every note) a file within the limits buys."""
    import csv
    import io
    import random

    words = ("tumour", "progression", "after", "trastuzumab", "liver", "metastases", "HER2",
             "amplified", "stable", "disease", "response", "biopsy", "taxane")  # fmt: skip
    draw = random.Random(7)
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow(["setting", "trastuzumab_response", "her2_ihc", "notes"])
    while out.tell() < UPLOAD_MB * 1024 * 1024:
        note = " ".join(draw.choice(words) for _ in range(120))
        table.writerow(["metastatic", "acquired_resistance", "3+", note])
    return out.getvalue().encode()


def _upload(cookie: str, csrf: str, body: bytes, boundary: str) -> tuple[str, float]:
    request = urllib.request.Request(
        f"{BASE}/cohort/", data=body,
        headers={"Cookie": cookie, "X-CSRFToken": csrf, "Referer": f"{BASE}/cohort/",
                 "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            page = response.read().decode()
    except OSError as error:
        return f"failed ({error})", time.monotonic() - started
    took = time.monotonic() - started
    if "Other uploads are being checked" in page:
        return "refused at once: slots full", took
    if "took longer than" in page:
        return "stopped: over the time budget", took
    return "checked", took


def hostile_uploads(topology: str, password: str) -> None:
    """Three note-heavy tables of UPLOAD_MB each uploaded at once (dashboard, not import)
    while /health/ is asked every quarter second: each check runs in its child process,
    at most settings.UPLOAD_CHECKS_AT_ONCE at once on the site, so a worker stays free.
    Bounded: 3 uploads, 60 s each at most, probes until they are done."""
    from concurrent.futures import ThreadPoolExecutor

    cookie = session_cookie(password)
    csrf = dict(part.split("=", 1) for part in cookie.split("; "))["csrftoken"]
    boundary = secrets.token_hex(16)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\ndashboard\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            'name="file"; filename="cohort.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + _hostile_table()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    timings, failures = [], 0
    with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
        futures = [pool.submit(_upload, cookie, csrf, body, boundary) for _ in range(UPLOADS)]
        started = time.monotonic()
        while not all(f.done() for f in futures) and time.monotonic() - started < 90:
            probe = time.monotonic()
            try:
                urllib.request.urlopen(f"{BASE}/health/", timeout=5).read()
                timings.append(time.monotonic() - probe)
            except OSError:
                failures += 1
            time.sleep(0.25)
        outcomes = [future.result() for future in futures]
    timings.sort()
    p50 = timings[len(timings) // 2] * 1000 if timings else float("nan")
    worst = timings[-1] * 1000 if timings else float("nan")
    print(f"{topology}: {UPLOADS} hostile uploads of {UPLOAD_MB} MB at once:")
    for outcome, took in outcomes:
        print(f"  {outcome} after {took:.1f} s")
    print(
        f"  /health/ answered {len(timings)} of {len(timings) + failures} probes meanwhile, "
        f"p50 {p50:.0f} ms, worst {worst:.0f} ms"
    )


def main() -> None:
    global LOG
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    OUT.mkdir(exist_ok=True)
    LOG = open(OUT / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    password, token = prepare()
    codes: list[str] = []
    for topology in TOPOLOGIES:
        servers = serve(topology)
        try:
            if "mix" in SCENARIOS:
                codes = codes or seed(token)
                cookie = session_cookie(password)
                for connections in CONNECTIONS:
                    run(connections, token, cookie, codes, topology)
            if "slow" in SCENARIOS:
                slow_clients(topology)
            if "uploads" in SCENARIOS:
                hostile_uploads(topology, password)
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
