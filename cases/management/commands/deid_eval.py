"""`make deid-eval`: recall per identifier category and acceptance of clinical prose.

Each corpus is JSON: {"identifiers": [{"text", "category"}], "clinical": [{"text"}]}; an
item may name its language ("lang": "uk"), and each language is then reported apart.
Prints, per corpus, recall per identifier category, precision per screen (of the texts a
screen refused, the share that were identifiers), overall recall and precision, and the
share of clinical prose accepted; exits 1 below the goals
(97 % overall and 90 % per category refused, 97 % of prose accepted).
"""

import json
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.deid import text_findings

RECALL_GOAL, CATEGORY_GOAL, ACCEPT_GOAL = 0.97, 0.90, 0.97


class Command(BaseCommand):
    help = "Measure the de-identification screen on labelled corpora."

    def add_arguments(self, parser):
        parser.add_argument("corpora", nargs="+", type=Path)

    def handle(self, *args, corpora, **options):
        failed = False
        for path in corpora:
            try:
                corpus = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            failed |= not self._report(path, corpus)
        if failed:
            raise CommandError("Below the de-identification goals.")

    def _report(self, path: Path, corpus: dict) -> bool:
        caught: dict[str, list[bool]] = defaultdict(list)
        fired: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [identifiers, prose]
        for item in corpus["identifiers"]:
            findings = text_findings(item["text"])
            caught[item["category"]].append(bool(findings))
            for kind in {f.kind.split(" (")[0].split(";")[0] for f in findings}:
                fired[kind][0] += 1
        refused_prose = []
        for item in corpus["clinical"]:
            if findings := text_findings(item["text"]):
                refused_prose.append(item["text"])
                for kind in {f.kind.split(" (")[0].split(";")[0] for f in findings}:
                    fired[kind][1] += 1
        true_positives = sum(sum(v) for v in caught.values())
        total = sum(len(v) for v in caught.values())
        recall = true_positives / total
        accepted = 1 - len(refused_prose) / len(corpus["clinical"])
        precision = true_positives / ((true_positives + len(refused_prose)) or 1)
        self.stdout.write(f"\n{path}: {total} identifiers, {len(corpus['clinical'])} prose")
        ok = recall >= RECALL_GOAL and accepted >= ACCEPT_GOAL
        for category, hits in sorted(caught.items()):
            share = sum(hits) / len(hits)
            ok &= share >= CATEGORY_GOAL
            self.stdout.write(
                f"  {category:<16} refused {sum(hits):>3}/{len(hits):<3} {share:6.1%}"
            )
        self.stdout.write("  precision per screen (texts it refused that were identifiers):")
        for kind, (hits, false) in sorted(fired.items()):
            self.stdout.write(
                f"    {kind:<44} {hits:>3}/{hits + false:<3} {hits / (hits + false):6.1%}"
            )
        for lang in sorted({i["lang"] for i in corpus["identifiers"] if i.get("lang")}):
            hits = [bool(text_findings(i["text"])) for i in corpus["identifiers"]
                    if i.get("lang") == lang]  # fmt: skip
            prose = [not text_findings(i["text"]) for i in corpus["clinical"]
                     if i.get("lang") == lang]  # fmt: skip
            self.stdout.write(
                f"  language {lang:<7} refused {sum(hits)}/{len(hits)}, "
                f"prose accepted {sum(prose)}/{len(prose)}"
            )
        self.stdout.write(f"  {'recall':<16} {recall:6.1%}   precision {precision:6.1%}")
        self.stdout.write(f"  {'prose accepted':<16} {accepted:6.1%}")
        return ok
