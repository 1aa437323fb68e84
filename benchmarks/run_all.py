"""Run every benchmark (make bench). Not part of make test."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

if __name__ == "__main__":
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    for script in ("engine_bench.py",):
        print(f"== {script}")
        subprocess.run([sys.executable, str(HERE / script)], cwd=ROOT, check=True)
