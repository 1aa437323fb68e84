"""Load the demo (for `make run`, unless DEMO=0): clearly fictional teaching cases, a board
session ready for proposals, a second one already decided (two trainees' proposals on three
cases, locked, the board's decision and an outcome for one case), and local logins that
work only with DEBUG on (core.backends): an educator, two trainees and two curators."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from board.decisions import decision_record, outcome_record
from board.models import BoardSession
from board.training import (
    Option,
    proposal_submit,
    session_case_add,
    session_create,
    session_state_set,
)
from cases.services import case_create
from rules.models import Strategy

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - a local teaching login, printed by make demo

TEACHING_CASES = [
    {
        "setting": "metastatic",
        "trastuzumab_response": "acquired_resistance",
        "prior_therapies": ["trastuzumab", "pertuzumab", "chemotherapy"],
        "her2_ihc": "3+",
        "er": "positive",
        "pik3ca": "mutated",
        "markers": {"MUC4": "high", "p95HER2": "negative"},
        "notes": "Fictional teaching case A: progression after 14 months on trastuzumab.",
    },
    {
        "setting": "residual_disease",
        "trastuzumab_response": "responding",
        "prior_therapies": ["trastuzumab", "chemotherapy"],
        "her2_ihc": "2+",
        "her2_ish": "amplified",
        "her2_heterogeneity": "high",
        "notes": "Fictional teaching case B: residual invasive disease after neoadjuvant therapy.",
    },
    {
        "setting": "metastatic",
        "trastuzumab_response": "naive",
        "her2_ihc": "1+",
        "notes": "Fictional teaching case C: HER2-low metastatic disease.",
    },
]


EDUCATOR = "demo-educator"
TRAINEES = ("demo-trainee1", "demo-trainee2")
SECOND_CURATOR = "demo-curator2"
SESSION_TITLE = "Demo session: trastuzumab resistance (fictional cases)"
DECIDED_TITLE = "Demo session, decided: the board's answer and what happened (fictional)"

# Case by case (A, B, C): each trainee's ranked options and evidence guess, and reasoning.
PROPOSALS = {
    "demo-trainee1": [
        (["strategy:t-dxd", "strategy:alpelisib-trastuzumab"], "approved_indication",
         "Progression on trastuzumab and pertuzumab; PIK3CA mutated."),
        (["strategy:t-dm1-residual-disease"], "phase_iii_trial", "Residual disease, HER2 therapy."),
        (["standard:continue-trastuzumab"], "clinical_study", "HER2-low: nothing new to add."),
    ],
    "demo-trainee2": [
        (["other:tucatinib with capecitabine and trastuzumab", "standard:t-dxd"], "phase_iii_trial",
         "Would consider brain imaging first."),
        (["standard:katherine-t-dm1"], "phase_iii_trial", "KATHERINE."),
        (["standard:t-dxd"], "approved_indication", "HER2-low, as in DESTINY-Breast04."),
    ],
}  # fmt: skip
DECISION_A = [
    {"option": "strategy:t-dxd", "evidence_grade": "approved_indication",
     "rationale": "Second line after trastuzumab and pertuzumab (a fictional board)."},
    {"option": "standard:tucatinib-trastuzumab-capecitabine", "evidence_grade": "phase_iii_trial",
     "rationale": "Next, or first if brain metastases appear."},
]  # fmt: skip
OUTCOME_A = {
    "implemented": "yes", "best_response": "PR", "progressed": True,
    "months_to_progression": 9, "months_followed": 14,
    "notes": "Fictional: partial response, progression after 9 months.",
}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Load the demo: fictional teaching cases, a ready board session, and local logins "
        "(a curator-trainee, an educator, two trainees) that work only with DEBUG on."
    )

    def handle(self, *args, **options):
        logins = [
            # A curator, not a trainee: it does not count among a session's participants.
            (DEMO_USERNAME, ["curator"], True),
            (SECOND_CURATOR, ["curator"], False),
            (EDUCATOR, ["educator"], False),
            *((name, ["trainee"], False) for name in TRAINEES),
        ]
        users = {}
        for name, groups, is_staff in logins:
            user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": is_staff})
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            users[name] = user
        demo = users[DEMO_USERNAME]
        if not demo.case_profiles.exists():
            for data in TEACHING_CASES:
                case_create(data=data, user=demo)
        session = BoardSession.objects.filter(title=SESSION_TITLE).first()
        if session is None:
            session = session_create(title=SESSION_TITLE, educator=users[EDUCATOR])
            for case in demo.case_profiles.order_by("created_at"):
                session_case_add(session=session, code=case.code)
        if not BoardSession.objects.filter(title=DECIDED_TITLE).exists():
            self._decided_session(users, list(demo.case_profiles.order_by("created_at")[:3]))
        self.stdout.write(
            "Demo loaded (fictional cases; these logins work only with DEBUG on):\n"
            f"  {DEMO_USERNAME} and {SECOND_CURATOR} (curators: one reviews the other's "
            f"changes), {EDUCATOR} (runs the sessions), {', '.join(TRAINEES)}; password for "
            f"each: {DEMO_PASSWORD}\n"
            f"  Board session: {SESSION_TITLE!r} at /sessions/{session.pk}/\n"
            f"  Decided: {DECIDED_TITLE!r} (summary, progress and the three-column reveal)"
        )
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: the demo logins will not sign in."))

    def _decided_session(self, users: dict, cases: list) -> None:
        educator = users[EDUCATOR]
        session = session_create(title=DECIDED_TITLE, educator=educator)
        for case in cases:
            session_case_add(session=session, code=case.code)
        strategies = {s.slug: s for s in Strategy.objects.all()}
        for trainee, proposals in PROPOSALS.items():
            for case, (choices, guess, reasoning) in zip(cases, proposals, strict=False):
                options = []
                for choice in choices:
                    kind, _, value = choice.partition(":")
                    if kind == "strategy":
                        options.append(Option(strategy=strategies[value]))
                    elif kind == "standard":
                        options.append(Option(standard=value))
                    else:
                        options.append(Option(other=value))
                proposal_submit(
                    session=session, case=case, trainee=users[trainee], options=options,
                    evidence_guess=guess, reasoning=reasoning,
                )  # fmt: skip
        session_state_set(session=session, user=educator, state="locked")
        decision_record(session=session, case=cases[0], user=educator, options=DECISION_A)
        outcome_record(case=cases[0], user=educator, data=OUTCOME_A)
