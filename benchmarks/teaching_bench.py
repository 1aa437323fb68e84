"""Teaching pages at scale: a session's summary, a trainee's progress page and the
educator's progress page, with 100 trainees, 30 sessions of 20 cases each, every trainee
proposing for every case (60,000 proposals, 120,000 ranked choices) and the board's decision
recorded for every session case. Goal: each page answers in under 200 ms (median of 5
warm requests through Django's test client, templates included), in a temporary SQLite
database. Run with `make bench` (or alone: it takes about a minute to build the data)."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_folder = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{_folder}/teaching-bench.sqlite3"

import django

django.setup()

import logging

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

from benchmarks import pages_as_tests_serve
from benchmarks.synthetic import SEED, synthetic_frame
from board.models import BoardDecision, BoardSession, ProposalChoice, SessionCase, TraineeProposal
from cases.models import CaseProfile
from cases.selectors import marker_scales_get
from cases.services import cases_import
from rules.models import Strategy

TRAINEES = int(os.getenv("TEACHING_TRAINEES", "100"))
SESSIONS = int(os.getenv("TEACHING_SESSIONS", "30"))
CASES = int(os.getenv("TEACHING_CASES", "20"))
GOAL_MS = 200.0


def build() -> tuple[User, User, BoardSession]:
    educator = User.objects.create_user("bench-educator", password="x")  # noqa: S106
    educator.groups.add(Group.objects.get(name="educator"))
    trainees = User.objects.bulk_create(
        User(username=f"bench-trainee{i:03}", password="!")  # noqa: S106 - unusable
        for i in range(TRAINEES)
    )
    Group.objects.get(name="trainee").user_set.add(*trainees)
    cases_import(frame=synthetic_frame(SESSIONS * CASES, marker_scales_get(), seed=SEED + 7))
    cases = list(CaseProfile.objects.order_by("pk"))
    slugs = list(Strategy.objects.order_by("slug").values_list("pk", "slug"))
    sessions = BoardSession.objects.bulk_create(
        BoardSession(title=f"Bench week {n + 1}", educator=educator, state="locked", revealed=True)
        for n in range(SESSIONS)
    )
    for index, session in enumerate(sessions):
        mine = cases[index * CASES : (index + 1) * CASES]
        SessionCase.objects.bulk_create(
            SessionCase(session=session, case=case, position=p) for p, case in enumerate(mine)
        )
        BoardDecision.objects.bulk_create(
            BoardDecision(
                session=session,
                case=case,
                decided_by=educator,
                options=[
                    {
                        "option": f"strategy:{slugs[(p + k) % len(slugs)][1]}",
                        "evidence_grade": "clinical_study",
                        "rationale": "",
                    }
                    for k in range(2)
                ],
            )
            for p, case in enumerate(mine)
        )
        proposals = TraineeProposal.objects.bulk_create(
            TraineeProposal(
                session=session, case=case, trainee=trainee, evidence_guess="preclinical"
            )
            for case in mine
            for trainee in trainees
        )
        ProposalChoice.objects.bulk_create(
            ProposalChoice(
                proposal=proposal,
                rank=rank,
                strategy_id=slugs[(n + rank) % len(slugs)][0],
                label="bench",
            )
            for n, proposal in enumerate(proposals)
            for rank in (1, 2)
        )
    return educator, trainees[0], sessions[-1]


def median_ms(client: Client, url: str) -> float:
    assert client.get(url).status_code == 200, url  # warm: the evaluation memo, templates
    times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def main() -> None:
    logging.disable(logging.INFO)
    setup_test_environment()
    pages_as_tests_serve()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    educator, trainee, session = build()
    print(
        f"teaching: {TRAINEES} trainees, {SESSIONS} sessions of {CASES} cases, "
        f"{TraineeProposal.objects.count():,} proposals (built in "
        f"{time.perf_counter() - started:.0f} s)"
    )
    failed = []
    pages = [
        ("session summary", educator, f"/sessions/{session.pk}/summary/"),
        ("a trainee's progress", trainee, "/progress/"),
        ("the educator's progress page", educator, "/progress/group/"),
    ]
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        ms = median_ms(client, url)
        print(f"teaching: {label} {ms:.0f} ms (goal < {GOAL_MS:.0f} ms)")
        if ms >= GOAL_MS:
            failed.append(label)
    if failed:
        sys.exit(f"teaching: over the goal: {', '.join(failed)}")


if __name__ == "__main__":
    main()
