"""The rule engine: compiles curated conditions and evaluates them on plain profile facts.

Pure by design, and free of Django: it imports only the Django-free contract
(cases.contract, cases.her2) and rule-engine, so a notebook or a worker can use it
without settings (a test checks that `import rules.engine` loads no django module).
Callers pass plain facts (a dict) and plain rules (`PlainRule`), and get back matches
with the facts that triggered them, the tests whose result would change the outcome, and
a trace.

- vocabulary: what a condition may read (contract facts, her2_status, markers);
- checks: the safe subset of the language;
- compile: parse, check and memoise conditions;
- evaluate: rules on facts; suggest: tests worth doing; describe: conditions in words;
- safety: whether a condition could raise on any profile (checked before it is stored).
- grammar: rule-engine's parser tables, stored rather than built in every process.
"""

# First: importing it offers PLY the stored parser tables, before rule-engine is imported.
from rules.engine import grammar  # noqa: F401

# isort: split
from rules.engine.checks import fact_of, literals_of
from rules.engine.compile import CompiledCondition, ConditionError, condition_compile
from rules.engine.describe import condition_words
from rules.engine.evaluate import Evaluation, Match, RuleSet, evaluate, facts_build, ruleset_compile
from rules.engine.safety import condition_problems
from rules.engine.suggest import SuggestedTest, tests_suggest
from rules.engine.vocabulary import (
    MARKER_PREFIX,
    NOT_FACTS,
    OUT_OF_SCOPE_STATUSES,
    SCOPE_KIND,
    UNKNOWN_VALUES,
    PlainRule,
    Vocabulary,
    vocabulary_build,
)

__all__ = [
    "MARKER_PREFIX",
    "NOT_FACTS",
    "OUT_OF_SCOPE_STATUSES",
    "SCOPE_KIND",
    "UNKNOWN_VALUES",
    "CompiledCondition",
    "ConditionError",
    "Evaluation",
    "Match",
    "PlainRule",
    "RuleSet",
    "SuggestedTest",
    "Vocabulary",
    "condition_compile",
    "condition_problems",
    "condition_words",
    "evaluate",
    "fact_of",
    "facts_build",
    "literals_of",
    "ruleset_compile",
    "tests_suggest",
    "vocabulary_build",
]
