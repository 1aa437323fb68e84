"""Load the demo (for `make run`, unless DEMO=0): clearly fictional teaching cases, a ready
board session, and local logins that work only with DEBUG on (core.backends)."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from board.models import BoardSession
from board.training import session_case_add, session_create
from cases.services import case_create

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
SESSION_TITLE = "Demo session: trastuzumab resistance (fictional cases)"


class Command(BaseCommand):
    help = (
        "Load the demo: fictional teaching cases, a ready board session, and local logins "
        "(a curator-trainee, an educator, two trainees) that work only with DEBUG on."
    )

    def handle(self, *args, **options):
        logins = [
            (DEMO_USERNAME, ["trainee", "curator"], True),
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
        self.stdout.write(
            "Demo loaded (fictional cases; these logins work only with DEBUG on):\n"
            f"  {DEMO_USERNAME} (trainee and curator), {EDUCATOR} (runs the session), "
            f"{', '.join(TRAINEES)}; password for each: {DEMO_PASSWORD}\n"
            f"  Board session: {SESSION_TITLE!r} at /sessions/{session.pk}/"
        )
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: the demo logins will not sign in."))
