"""Conditions in plain words, for the knowledge-base browser and printed summaries.

Reads the parsed expression (the engine's compile), never the text, so the words always
say what the engine evaluates.
"""

from typing import Any

import rule_engine.ast as ast

from cases.contract import THERAPIES, words_of
from rules.engine.checks import fact_of, literals_of
from rules.engine.compile import ConditionError, condition_compile
from rules.engine.vocabulary import MARKER_PREFIX, Vocabulary

COMPARISONS = {"eq": "is", "ne": "is not", "lt": "is below", "le": "is at most",
               "gt": "is above", "ge": "is at least"}  # fmt: skip


def _fact_label(node: Any) -> str | None:
    fact = fact_of(node)
    if fact is None:
        return None
    if fact.startswith(MARKER_PREFIX):
        return fact.removeprefix(MARKER_PREFIX)
    return words_of(fact)


THERAPY_LABELS = THERAPIES.labels


def _shown(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, str):
        return THERAPY_LABELS.get(value, value.replace("_", " "))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _value(node: Any) -> str:
    literals = literals_of(node)
    if literals is None:
        return _words(node)
    return " or ".join(_shown(v) for v in literals)


def _attribute(node: Any) -> str:
    """`prior_therapies.length` -> "the number of prior therapies"."""
    label = _fact_label(node.object) or _words(node.object)
    if node.name == "length":
        return f"the number of {label.lower()}"
    return f"{label} is empty"


def _words(node: Any) -> str:
    """Every node the safe subset allows has its own words; any other ends in a plain
    fallback (never recursion without end)."""
    if isinstance(node, ast.GetAttributeExpression):
        return _attribute(node)
    if isinstance(node, ast.LogicExpression):
        parts = []
        for side in (node.left, node.right):
            text = _words(side)
            if isinstance(side, ast.LogicExpression) and side.type != node.type:
                text = f"({text})"
            parts.append(text)
        return f" {node.type} ".join(parts)
    if isinstance(node, ast.UnaryExpression):
        return f"not ({_words(node.right)})"
    if isinstance(node, ast.ComparisonExpression | ast.ArithmeticComparisonExpression):
        label = _fact_label(node.left)
        if label is None:
            return (
                f"{_value(node.left)} {COMPARISONS.get(node.type, node.type)} {_value(node.right)}"
            )
        return f"{label} {COMPARISONS.get(node.type, node.type)} {_value(node.right)}"
    if isinstance(node, ast.ContainsExpression):
        container = _fact_label(node.container)
        if container is not None:
            return f"{container} include {_value(node.member)}"
        return f"{_fact_label(node.member) or _value(node.member)} is {_value(node.container)}"
    label = _fact_label(node)
    if label is not None:
        return label
    literals = literals_of(node)
    if literals is not None:
        return " or ".join(_shown(v) for v in literals)
    return type(node).__name__.removesuffix("Expression").lower()


def condition_words(text: str, vocabulary: Vocabulary) -> str:
    """e.g. 'pik3ca == "mutated" or pten == "lost"' -> 'PIK3CA is mutated or PTEN is lost'."""
    try:
        compiled = condition_compile(text, vocabulary)
        return _words(compiled.rule.statement.expression)
    except (ConditionError, RecursionError, AttributeError, TypeError, ValueError):
        return text
