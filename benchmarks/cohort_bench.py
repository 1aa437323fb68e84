"""Cohort speed: N profiles through evaluate_cohort against the pandas floor.

The floor is what pandas needs just to read the input file and write the same output
(the command's own result, held in memory); the goal is evaluate_cohort, the whole
command, within 1.5x of it, measured in the same run (each twice, interleaved, the
faster kept).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import pandas as pd

from benchmarks.synthetic import SEED, synthetic_frame
from rules.knowledge_base import knowledge_base_get

ROWS = int(os.getenv("COHORT_ROWS", "1000000"))
OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    source, result = OUT / "cohort.csv", OUT / "cohort-result.csv"
    kb = knowledge_base_get()
    synthetic_frame(ROWS, dict(kb.marker_scales)).to_csv(source, index=False)

    def command() -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "evaluate_cohort", str(source), "--output", str(result),
             "--no-progress"],
            check=True, cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return time.perf_counter() - start

    def floor_once(output: pd.DataFrame) -> float:
        # pandas reading the input and writing the same output (the command's own result,
        # held in memory beforehand).
        start = time.perf_counter()
        pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False)
        output.to_csv(OUT / "floor.csv", index=False)
        return time.perf_counter() - start

    # Each measured twice, interleaved, and the faster kept: the machine's noise (other
    # processes on 2 cores) then moves both figures alike.
    engine = command()
    output = pd.read_csv(result, dtype=str, keep_default_na=False)
    floor = floor_once(output)
    engine = min(engine, command())
    floor = min(floor, floor_once(output))
    print(f"cohort: {ROWS:,} synthetic profiles (seed {SEED}), {len(kb.rules)} rules")
    print(f"  pandas floor (read input + write output)  {floor:7.2f} s")
    print(f"  evaluate_cohort (whole command)           {engine:7.2f} s")
    print(f"  ratio evaluate_cohort/floor               {engine / floor:7.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
