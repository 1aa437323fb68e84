"""Import speed: N synthetic rows through cases_import (validation + bulk insert).

Run once per database by run_all.py (SQLite file, then PostgreSQL when reachable); prints
rows per second. The database named by DATABASE_URL is migrated first and emptied of cases.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command

from benchmarks.synthetic import SEED, cases_clear, synthetic_frame
from cases.models import CaseProfile
from cases.selectors import marker_scales_get
from cases.services import cases_import

ROWS = int(os.getenv("IMPORT_ROWS", "100000"))


def main() -> None:
    call_command("migrate", verbosity=0)
    cases_clear()
    frame = synthetic_frame(ROWS, marker_scales_get(), seed=SEED + 1)
    start = time.perf_counter()
    created = cases_import(frame=frame)
    seconds = time.perf_counter() - start
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    assert CaseProfile.objects.count() == created == ROWS
    goal = " (goal >= 10,000 rows/s)" if vendor == "postgresql" else ""
    rate = f"{ROWS / seconds:,.0f} rows/s{goal}"
    print(f"import: {ROWS:,} rows into {vendor} in {seconds:.1f} s = {rate}")
    cases_clear()


if __name__ == "__main__":
    main()
