"""Load a demo login and a few clearly fictional teaching cases (for `make demo`)."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

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


class Command(BaseCommand):
    help = "Create the demo login and three fictional teaching cases."

    def handle(self, *args, **options):
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(*Group.objects.filter(name__in=["trainee", "curator"]))
        if created or not user.case_profiles.exists():
            for data in TEACHING_CASES:
                case_create(data=data, user=user)
        self.stdout.write(
            f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD} (fictional data; local use only)."
        )
