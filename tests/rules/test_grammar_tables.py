"""rule-engine's parser tables are read from rules/engine/parse_tables.py (rules.engine.grammar)
rather than built by PLY in every process: they must be the tables PLY builds for the
installed grammar, and be the ones the parser uses."""

import subprocess
import sys
from pathlib import Path

from rules.engine.grammar import TABLES, tables_built

ROOT = Path(__file__).resolve().parents[2]


def _tables(text: str) -> dict:
    namespace: dict = {}
    exec(compile(text, "tables", "exec"), namespace)  # noqa: S102 - PLY's own output
    return {k: v for k, v in namespace.items() if k.startswith("_lr_") or k == "_tabversion"}


def test_the_stored_tables_are_those_ply_builds_for_the_installed_grammar():
    # Fails after a rule-engine upgrade that changes its grammar; write them again with
    # python -c "from rules.engine.grammar import tables_write; tables_write()".
    assert _tables(TABLES.read_text()) == _tables(tables_built())


def test_a_fresh_process_parses_with_the_stored_tables_and_builds_none():
    script = (
        "import sys; import rules.engine; "
        "from rule_engine.engine.rule import Rule; "
        "from rules.engine import parse_tables; "
        "print(sys.modules['rule_engine.parser.parsetab'] is parse_tables); "
        "print(Rule.parser._parser.action is parse_tables._lr_action); "
        "print(Rule('her2_status == \"positive\"').matches({'her2_status': 'positive'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
