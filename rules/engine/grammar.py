"""rule-engine's parser tables, read from this package instead of built at every import.

rule-engine builds its LALR parser tables with PLY each time it is imported: 0.3 to 0.7 s
in every process (each gunicorn worker, each management command, each test run). PLY
reads the tables from a module named `rule_engine.parser.parsetab` when one can be
imported and its grammar signature equals the grammar's own; importing this module (which
rules.engine does first) runs `tables_install`, which puts
`rules.engine.parse_tables` (written by PLY itself, with `tables_write`) under that name
before rule-engine is first imported. Tables of another grammar (another rule-engine
release) do not match the signature, so PLY builds its own as before, and
tests/rules/test_grammar_tables.py fails until they are written again:

    python -c "from rules.engine.grammar import tables_write; tables_write()"
"""

import sys
import tempfile
from pathlib import Path

TABLE_MODULE = "rule_engine.parser.parsetab"
TABLES = Path(__file__).with_name("parse_tables.py")


def tables_install() -> None:
    """Offer PLY the stored tables; a no-op once rule-engine has been imported."""
    if "rule_engine" in sys.modules:
        return
    from rules.engine import parse_tables

    sys.modules.setdefault(TABLE_MODULE, parse_tables)


def tables_built() -> str:
    """The tables module PLY writes for the installed rule-engine's grammar, as text."""
    from rule_engine._vendor.ply import yacc
    from rule_engine.parser import Parser

    parser = Parser.__new__(Parser)  # its grammar, without building its own tables
    parser.debug, parser.context = False, None
    with tempfile.TemporaryDirectory() as folder:
        yacc.yacc(
            module=parser, write_tables=True, debug=False, outputdir=folder, tabmodule="tables"
        )
        return Path(folder, "tables.py").read_text()


def tables_write() -> None:
    TABLES.write_text(tables_built())


tables_install()  # on import: rules.engine imports this module before anything else
