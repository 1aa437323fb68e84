"""What each departure from stock Django, DRF or a library saves on its path, in one run.

For each row of docs/performance.md: the path it serves (a page, an API call, an import),
timed with the departure on and with the stock piece it replaces (its switch thrown, or
the stock code patched back in), in interleaved rounds; the gain is the share of the stock
path's time the departure saves (1 - median on / median off). A row under 10 % means the
departure should go back to the stock piece (docs/performance.md says so).

Runs on the database DATABASE_URL names (a test database made afresh, as the test suite
makes one); `make bench` runs it on PostgreSQL when one answers on 127.0.0.1:5432, where
the PostgreSQL-only rows (COPY, the one-value dashboard read) are measured too. Prints one
line per departure, then a table for docs/performance.md.
"""

import contextlib
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# No request of the run may be refused by a rate limit (a 429 would be timed instead).
os.environ["DJANGO_THROTTLE_USER"] = "10000000/min"
os.environ["DJANGO_THROTTLE_ANON"] = "10000000/min"

import django

django.setup()

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import setup_databases, setup_test_environment

from benchmarks import pages_as_tests_serve

ROUNDS = int(os.getenv("DEPARTURE_ROUNDS", "9"))
MIN_GAIN = 0.10


def timed(path, calls: int) -> float:
    """Seconds per call; the garbage collector runs before, not during (its pauses would
    land on whichever side happened to trigger one; gc.freeze's own row measures them)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(calls):
            path()
        return (time.perf_counter() - start) / calls
    finally:
        gc.enable()


def compare(path, off, calls: int) -> tuple[float, float]:
    """(median seconds with the departure, median seconds with the stock piece)."""
    path()
    with off():
        path()
    ons, offs = [], []
    for _ in range(ROUNDS):
        ons.append(timed(path, calls))
        with off():
            offs.append(timed(path, calls))
    return statistics.median(ons), statistics.median(offs)


def _patched(*patches):
    @contextlib.contextmanager
    def off():
        with contextlib.ExitStack() as stack:
            for patch in patches:
                stack.enter_context(patch())
            yield

    return off


def _form_renderer_stock():
    from django.forms import renderers

    @contextlib.contextmanager
    def swapped():
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            renderers.get_default_renderer.cache_clear()
            yield
        renderers.get_default_renderer.cache_clear()

    return swapped()


def main() -> None:
    setup_test_environment()
    pages_as_tests_serve()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    setup_databases(verbosity=0, interactive=False)
    from knox.models import get_token_model
    from rest_framework.test import APIClient

    from benchmarks.synthetic import SEED, synthetic_frame
    from cases.selectors import marker_scales_get
    from cases.services import case_create, cases_import
    from tests.factories import contract_example, user_create

    vendor = connection.vendor
    trainee = user_create("bench-trainee", "trainee")
    for _ in range(30):
        case_create(data={**contract_example(), "notes": ""}, user=trainee)
    code = case_create(data=contract_example(), user=trainee).code
    page = Client()
    page.force_login(trainee)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {get_token_model().objects.create(trainee)[1]}")
    # Evaluate posts 500 different profiles in turn, as the endpoint benchmark does, so
    # no memo sees one set of values only.
    import random

    from benchmarks.engine_bench import synthetic_profiles
    from cases.profile import profile_clean

    scales = marker_scales_get()
    bodies = []
    for candidate in synthetic_profiles(2000, scales, random.Random(SEED)):
        try:
            profile_clean(data=candidate, marker_scales=scales)
        except ValidationError:
            continue
        bodies.append(candidate)
    bodies = bodies[:500]
    turn = iter(range(10**9))

    def case_page():
        assert page.get(f"/cases/{code}/").status_code == 200

    def case_list():
        assert page.get("/cases/?setting=metastatic").status_code == 200

    def evaluate():
        body = bodies[next(turn) % len(bodies)]
        assert api.post("/api/v1/evaluate/", body, format="json").status_code == 200

    def cases_api():
        assert api.get("/api/v1/cases/").status_code == 200

    rows: list[tuple[str, str, float, float]] = []

    def report(name: str, path_name: str, on_s: float, off_s: float) -> None:
        gain = 1 - on_s / off_s
        rows.append((name, path_name, on_s, gain))
        flag = "" if gain >= MIN_GAIN else "   <- under 10 %"
        print(
            f"{name:42} {path_name:34} {on_s * 1000:8.2f} ms  stock {off_s * 1000:8.2f} ms"
            f"  gain {gain:6.1%}{flag}",
            flush=True,
        )

    def row(name: str, path_name: str, path, off, calls: int) -> None:
        report(name, path_name, *compare(path, off, calls))

    from rest_framework.views import APIView

    # Generated rule program: every rule through rule-engine (with its memo) instead; on
    # the engine's own path (what evaluate_cohort runs a million times), warm.
    from rules.engine import evaluate as engine_evaluate
    from rules.engine import facts_build
    from rules.engine.evaluate import RuleSet
    from rules.knowledge_base import knowledge_base_published

    kb = knowledge_base_published()
    facts = [facts_build(body, vocabulary=kb.vocabulary) for body in bodies]

    def engine_pass():
        for one in facts:
            engine_evaluate(one, kb.ruleset, vocabulary=kb.vocabulary, explain=False)

    def rule_engine_fired(self, facts, in_scope):
        return RuleSet.fired(self, facts, self._entries)

    generated_off = _patched(
        lambda: mock.patch.object(RuleSet, "_fired_generated", rule_engine_fired)
    )
    row(
        "generated rule program",
        f"the engine, {len(facts)} profiles",
        engine_pass,
        generated_off,
        3,
    )
    row("generated rule program", "POST /api/v1/evaluate/", evaluate, generated_off, 100)

    # Every-request SQL compiled once (core.queries): the queryset built each time.
    import board.snapshots
    import board.training
    import cases.selectors

    def build_each_time(build, **values):
        return build(**values)

    compiled_off = _patched(
        *(
            (lambda m=module: mock.patch.object(m, "raw_compiled", build_each_time))
            for module in (cases.selectors, board.training, board.snapshots)
        )
    )
    row("compiled every-request SQL", "GET /cases/<code>/", case_page, compiled_off, 40)

    # Stock selects through Django's own Jinja2 templates, not Django's template engine.
    row("select boxes through Jinja2", "GET /cases/ (25 rows)", case_list, _form_renderer_stock, 40)

    # The case representation written from stored values, not field by field.
    from rest_framework import serializers

    from cases.api.serializers import CaseProfileSerializer

    row(
        "case representation",
        "GET /api/v1/cases/ (31 cases)",
        cases_api,
        _patched(
            lambda: mock.patch.object(
                CaseProfileSerializer, "to_representation", serializers.Serializer.to_representation
            )
        ),
        40,
    )

    # Token and user in one query, and the worker's auth memory: knox's and Django's own.
    from django.contrib.auth.backends import ModelBackend
    from knox.auth import TokenAuthentication
    from rest_framework.authentication import SessionAuthentication

    from core.backends import ModelBackendOneQuery

    auth_off = _patched(
        lambda: mock.patch.object(
            APIView, "authentication_classes", [TokenAuthentication, SessionAuthentication]
        ),
        # The session names this backend: its stock methods, not the backend list.
        lambda: mock.patch.object(ModelBackendOneQuery, "get_user", ModelBackend.get_user),
        lambda: mock.patch.object(
            ModelBackendOneQuery, "get_all_permissions", ModelBackend.get_all_permissions
        ),
        lambda: override_settings(AUTH_RECHECK_SECONDS=0),
    )
    row("auth in one query, remembered a second", "POST /api/v1/evaluate/", evaluate, auth_off, 60)
    row("auth in one query, remembered a second", "GET /cases/<code>/", case_page, auth_off, 40)

    # Throttle leases: every request counted in the shared cache.
    import core.throttling

    row(
        "throttle leases",
        "POST /api/v1/evaluate/",
        evaluate,
        _patched(lambda: mock.patch.object(core.throttling, "lease_size", lambda n: 1)),
        60,
    )

    # The published knowledge base checked once a second, not on every request.
    row(
        "knowledge base rechecked once a second",
        "POST /api/v1/evaluate/",
        evaluate,
        _patched(lambda: override_settings(KNOWLEDGE_BASE_RECHECK_SECONDS=0)),
        60,
    )

    # The parser tables stored, not built by PLY in every process.
    def start(code_text: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code_text], cwd=ROOT, check=True)
        return time.perf_counter() - started

    stored = "import rules.engine"
    built = "import rule_engine, rules.engine"  # rule-engine first: PLY builds its own
    starts_on, starts_off = [], []
    for _ in range(3):
        starts_on.append(start(stored))
        starts_off.append(start(built))
    report(
        "stored parser tables",
        "a process importing the engine",
        statistics.median(starts_on),
        statistics.median(starts_off),
    )

    # gc.freeze after a worker's start: a full collection's pause, with and without.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - what gunicorn.conf.py's post_worker_init does
    pauses = {}
    for frozen in (False, True):
        gc.unfreeze()
        if frozen:
            gc.freeze()
        gc.collect()
        pauses[frozen] = statistics.median(_collection() for _ in range(5))
    gc.unfreeze()
    report(
        "gc.freeze after start", "a full collection (a p99 request)", pauses[True], pauses[False]
    )

    # Cohort paths over a few thousand stored cases (PostgreSQL-only rows need it).
    cohort_cases = int(os.getenv("DEPARTURE_COHORT_CASES", "20000"))
    cases_import(frame=synthetic_frame(cohort_cases, marker_scales_get(), seed=SEED + 3))

    def cohort():
        assert page.get("/cohort/").status_code == 200

    import board.views.cohort

    row(
        "stored evaluations",
        f"GET /cohort/ ({cohort_cases:,} cases)",
        cohort,
        _patched(
            lambda: mock.patch.object(board.views.cohort, "stored_dashboard", lambda **kwargs: None)
        ),
        3,
    )
    if vendor == "postgresql":
        import board.stored
        import cases.bulk
        import cases.table_db

        row(
            "dashboard read as one value",
            f"GET /cohort/ ({cohort_cases:,} cases)",
            cohort,
            _patched(
                lambda: mock.patch.object(
                    board.stored, "_counted_from_arrays", board.stored._counted_grouped
                )
            ),
            5,
        )
        direct = _patched(
            lambda: mock.patch.object(board.views.cohort, "stored_dashboard", lambda **kw: None)
        )

        def cohort_direct():
            with direct():
                cohort()

        values_read = cases.table_db._table_from_values
        row(
            "cases read by one COPY",
            f"GET /cohort/, counted directly ({cohort_cases:,})",
            cohort_direct,
            _patched(lambda: mock.patch.object(cases.table_db, "_table_from_copy", values_read)),
            2,
        )
        frame = synthetic_frame(5000, marker_scales_get(), seed=SEED + 4)

        def imported():
            with transaction.atomic():
                cases_import(frame=frame)
                transaction.set_rollback(True)

        row(
            "import by COPY",
            "cases_import (5,000 rows)",
            imported,
            _patched(lambda: mock.patch.object(cases.bulk, "_copy", cases.bulk._bulk_create)),
            1,
        )
    else:
        print("(COPY import and reads, the one-value dashboard read: PostgreSQL only, skipped)")

    print()
    print("| departure | path | path time | gain |")
    print("|---|---|---|---|")
    for name, path_name, on_s, gain in rows:
        print(f"| {name} | {path_name} | {on_s * 1000:.2f} ms | {gain:.0%} |")
    print(f"(database: {vendor}; {ROUNDS} rounds; gain = share of the stock path's time saved)")


def _collection() -> float:
    start = time.perf_counter()
    gc.collect()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
