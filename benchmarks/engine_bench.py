"""Engine speed: one profile against the whole published knowledge base, warm.

Prints the median microseconds per whole-knowledge-base evaluation for the engine
(the generated program, rules.engine.program) and for the same conditions written as plain Python
lambdas, measured in the same run one pass of each in turn, and the median of their
per-round ratios (goal: within 1.5x).
Run with `make bench` (it needs a migrated database for the knowledge base).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from cases import choices
from rules.engine import evaluate, facts_build
from rules.knowledge_base import knowledge_base_get
from rules.knowledge_base_file import knowledge_base_read

SEED = 20240511
PROFILES = 2000
ROUNDS = 7


def synthetic_profiles(n: int, marker_scales, rng: random.Random) -> list[dict]:
    profiles = []
    for _ in range(n):
        markers = {
            code: rng.choice(values) for code, values in marker_scales.items() if rng.random() < 0.3
        }
        profiles.append(
            {
                "tumour_site": rng.choice(choices.TumourSite.values),
                "setting": rng.choice(choices.Setting.values),
                "age_band": rng.choice(choices.AgeBand.values),
                "trastuzumab_response": rng.choice(choices.TrastuzumabResponse.values),
                "prior_therapies": rng.sample(choices.Therapy.values, rng.randint(0, 3)),
                "metastatic_line": "unknown",  # valid whatever the setting drawn
                "brain_metastases": rng.random() < 0.2,
                "notes": "",
                "her2_ihc": rng.choice(choices.Her2Ihc.values),
                "her2_ish": rng.choice(choices.Her2Ish.values),
                "her2_heterogeneity": rng.choice(choices.Her2Heterogeneity.values),
                "her2_positive_fraction": None,
                "er": rng.choice(choices.ReceptorStatus.values),
                "pr": rng.choice(choices.ReceptorStatus.values),
                "pik3ca": rng.choice(choices.Pik3ca.values),
                "pten": rng.choice(choices.Pten.values),
                "markers": markers,
            }
        )
    return profiles


def as_lambda(condition: str):
    """The same condition as a Python lambda over the facts dict (benchmark baseline only)."""
    expression = condition.replace("markers[", "f['markers'][")
    for name in (
        "tumour_site", "setting", "trastuzumab_response", "prior_therapies", "metastatic_line",
        "brain_metastases",
        "her2_ihc", "her2_ish", "her2_heterogeneity", "her2_status", "er", "pr", "pik3ca", "pten",
    ):  # fmt: skip
        expression = __import__("re").sub(rf"(?<![\w'\"\[]){name}\b", f"f['{name}']", expression)
    expression = expression.replace("true", "True").replace("false", "False")
    return eval(f"lambda f: {expression}")  # noqa: S307 - trusted benchmark input only


def pass_us(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1e6


def interleaved_us(first, second, items) -> tuple[float, float, float]:
    """Medians of each, and the median of their ratio, over ROUNDS rounds that time one
    pass of each in turn: a machine that slows down mid-run slows both alike."""
    firsts, seconds, ratios = [], [], []
    for _ in range(ROUNDS):
        firsts.append(pass_us(first, items))
        seconds.append(pass_us(second, items))
        ratios.append(firsts[-1] / seconds[-1])
    return statistics.median(firsts), statistics.median(seconds), statistics.median(ratios)


def main() -> None:
    knowledge_base_read()  # fail early if the file is unreadable
    kb = knowledge_base_get()
    rng = random.Random(SEED)
    profiles = synthetic_profiles(PROFILES, kb.marker_scales, rng)
    facts = [facts_build(p, vocabulary=kb.vocabulary) for p in profiles]
    lambdas = [as_lambda(rule.condition) for rule in kb.rules]

    def engine_once(f):
        return evaluate(f, kb.ruleset, vocabulary=kb.vocabulary, explain=False)

    def lambdas_once(f):
        return [fn(f) for fn in lambdas]

    # Warm: compile and fill the memo tables, as a running server would be.
    for f in facts:
        engine_once(f)
    assert [sorted(m.rule.slug for m in engine_once(f).matches) for f in facts[:200]] == [
        sorted(
            r.slug
            for r, ok in zip(kb.rules, lambdas_once(f), strict=True)
            if ok and (f["her2_status"] != "zero" or r.kind == "scope")
        )
        for f in facts[:200]
    ], "engine and lambdas disagree"

    engine_us, lambda_us, ratio = interleaved_us(engine_once, lambdas_once, facts)
    print(f"engine: {len(kb.rules)} rules, {PROFILES} synthetic profiles (seed {SEED})")
    print(f"  engine (warm, generated) median {engine_us:8.1f} us per profile")
    print(f"  plain Python lambdas     median {lambda_us:8.1f} us per profile")
    print(f"  ratio engine/lambdas     {ratio:8.2f}x (goal <= 1.5x; median of {ROUNDS} rounds")
    print("                                    timing one pass of each in turn)")


if __name__ == "__main__":
    main()
