"""The case page and the evaluate endpoint in Ukrainian against English, in the same run:
goal, each within 10 % of English (median of 31 warm requests through Django's test
client, the language asked for with Accept-Language, alternating so drift hits both), in a
temporary SQLite database. Run with `make bench` (or alone: a few seconds)."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_folder = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{_folder}/languages-bench.sqlite3"

import django

django.setup()

import logging

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

from benchmarks import pages_as_tests_serve
from cases.contract import EXAMPLE_PROFILE
from cases.services import case_create

GOAL = 1.10
ROUNDS = 31


def timed(call) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def main() -> None:
    logging.disable(logging.INFO)
    setup_test_environment()
    pages_as_tests_serve()
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench-trainee", password="x")  # noqa: S106
    user.groups.add(Group.objects.get(name="trainee"))
    case = case_create(data=EXAMPLE_PROFILE, user=user)
    client = Client()
    client.force_login(user)
    paths = {
        "case page": lambda lang: client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang),
        "evaluate": lambda lang: client.post(
            "/api/v1/evaluate/",
            EXAMPLE_PROFILE,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=lang,
        ),
    }
    failed = []
    for label, call in paths.items():
        times: dict[str, list[float]] = {"en": [], "uk": []}
        for lang in ("en", "uk"):
            timed(lambda call=call, lang=lang: call(lang))  # warm: templates, memos
        for _ in range(ROUNDS):
            for lang in ("en", "uk"):
                times[lang].append(timed(lambda call=call, lang=lang: call(lang)))
        en, uk = (statistics.median(times[lang]) for lang in ("en", "uk"))
        ratio = uk / en
        print(
            f"languages: {label} {uk:.1f} ms in Ukrainian, {en:.1f} ms in English, "
            f"ratio {ratio:.2f} (goal <= {GOAL:.2f})"
        )
        if ratio > GOAL:
            failed.append(label)
    if failed:
        sys.exit(f"languages: over the goal: {', '.join(failed)}")


if __name__ == "__main__":
    main()
