"""The safe subset of rule-engine's language that curators' conditions may use.

Walks the parsed expression (never the text): only facts, literals, and/or/not,
comparisons, `in`, `markers["CODE"]` and `.length`/`.is_empty` are allowed, and every
literal compared with a fact must be a value that fact accepts. Regular-expression
operators are refused because they can hang.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import rule_engine.ast as ast

from cases.contract import PROFILE_FIELDS
from rules.engine.vocabulary import MARKER_PREFIX, Vocabulary

REGEX_OPERATORS = ("=~", "=~~", "!~", "!~~")
ALLOWED_ATTRIBUTES = frozenset({"length", "is_empty"})

_ALLOWED_NODES = (
    ast.LogicExpression,
    ast.UnaryExpression,
    ast.ComparisonExpression,
    ast.ArithmeticComparisonExpression,
    ast.ContainsExpression,
    ast.SymbolExpression,
    ast.GetItemExpression,
    ast.GetAttributeExpression,
    ast.ArrayExpression,
    ast.StringExpression,
    ast.FloatExpression,
    ast.BooleanExpression,
    ast.NullExpression,
)


def children(node: Any) -> Iterable[Any]:
    if isinstance(node, ast.ArrayExpression):
        return node.value
    if isinstance(node, ast.UnaryExpression):
        return (node.right,)
    if isinstance(node, ast.ContainsExpression):
        return (node.container, node.member)
    if isinstance(node, ast.GetItemExpression):
        return (node.container, node.item)
    if isinstance(node, ast.GetAttributeExpression):
        return (node.object,)
    if isinstance(node, ast.LeftOperatorRightExpressionBase):
        return (node.left, node.right)
    return ()


def fact_of(node: Any) -> str | None:
    """The fact a node reads directly (a field symbol or markers["CODE"]), if any."""
    if isinstance(node, ast.SymbolExpression) and node.name != "markers" and node.scope is None:
        return node.name
    if (
        isinstance(node, ast.GetItemExpression)
        and isinstance(node.container, ast.SymbolExpression)
        and node.container.name == "markers"
        and isinstance(node.item, ast.StringExpression)
    ):
        return MARKER_PREFIX + node.item.value
    return None


def literals_of(node: Any) -> list[Any] | None:
    """The literal values of a literal node or an array of literals; None otherwise."""
    if isinstance(node, ast.ArrayExpression):
        values = [literals_of(item) for item in node.value]
        if any(v is None for v in values):
            return None
        return [v[0] for v in values]
    if isinstance(node, ast.StringExpression | ast.FloatExpression | ast.BooleanExpression):
        return [node.value]
    if isinstance(node, ast.NullExpression):
        return [None]
    return None


def _describe(fact: str, values: tuple[str, ...] | None) -> str:
    if values is None:
        return f"{fact} is a number (or null)"
    return f"{fact} accepts " + ", ".join(f'"{v}"' for v in values)


def _check_literal(fact: str, literal: Any, vocabulary: Vocabulary) -> str | None:
    values = vocabulary.values_of(fact)
    spec = PROFILE_FIELDS.get(fact)
    if spec is not None and spec.kind == "bool":
        if isinstance(literal, bool):
            return None
        return f"{fact} is true or false, not {_shown(literal)}"
    if values is None:
        if literal is None or (
            isinstance(literal, int | float | Decimal) and not isinstance(literal, bool)
        ):
            return None
        return f"{fact} is a number (or null), not {_shown(literal)}"
    if isinstance(literal, str) and literal in values:
        return None
    return f"{_shown(literal)} is not a value of {fact}: {_describe(fact, values)}"


def _shown(literal: Any) -> str:
    if isinstance(literal, str):
        return f'"{literal}"'
    if isinstance(literal, Decimal):
        return str(literal)
    return "null" if literal is None else str(literal).lower()


def check_node(node: Any, vocabulary: Vocabulary, problems: list[str], facts: list[str]) -> None:
    if isinstance(node, ast.FuzzyComparisonExpression):
        problems.append(
            "Regular-expression operators (=~, =~~, !~, !~~) are not allowed: "
            "compare with == or in."
        )
        return
    if not isinstance(node, _ALLOWED_NODES):
        problems.append(
            f"{type(node).__name__.removesuffix('Expression')} expressions are not allowed; "
            "use facts, literals, and/or/not, comparisons and in."
        )
        return
    if isinstance(node, ast.FloatExpression) and not math.isfinite(node.value):
        problems.append("nan and inf are not values of any fact; compare with a finite number.")
    if isinstance(node, ast.SymbolExpression) and node.scope is not None:
        problems.append(f"Built-in symbol ${node.name} is not allowed.")
    if isinstance(node, ast.GetAttributeExpression) and node.name not in ALLOWED_ATTRIBUTES:
        problems.append(f"Attribute .{node.name} is not allowed (allowed: length, is_empty).")
    if isinstance(node, ast.GetItemExpression):
        _check_marker_lookup(node, vocabulary, problems)
    fact = fact_of(node)
    if fact is not None and (
        not fact.startswith(MARKER_PREFIX)
        or fact.removeprefix(MARKER_PREFIX) in vocabulary.marker_values
    ):
        facts.append(fact)
    _check_comparison(node, vocabulary, problems)
    for child in children(node):
        check_node(child, vocabulary, problems, facts)


def _check_marker_lookup(node: Any, vocabulary: Vocabulary, problems: list[str]) -> None:
    if not (isinstance(node.container, ast.SymbolExpression) and node.container.name == "markers"):
        problems.append('Only markers can be indexed, as markers["CODE"].')
    elif not isinstance(node.item, ast.StringExpression):
        problems.append('A marker is read with a quoted catalogue code, as markers["MUC4"].')
    elif node.item.value not in vocabulary.marker_values:
        codes = ", ".join(vocabulary.marker_values)
        problems.append(f"Unknown marker code {node.item.value!r}; the catalogue has: {codes}.")


def _check_comparison(node: Any, vocabulary: Vocabulary, problems: list[str]) -> None:
    """Every literal compared with a fact must be a value that fact accepts."""
    pairs: list[tuple[Any, Any]] = []
    if isinstance(node, ast.ComparisonExpression | ast.ArithmeticComparisonExpression):
        pairs = [(node.left, node.right), (node.right, node.left)]
    elif isinstance(node, ast.ContainsExpression):
        container_fact = fact_of(node.container)
        spec = PROFILE_FIELDS.get(container_fact or "")
        if spec is not None and spec.kind == "choices":
            # "t_dm1" in prior_therapies: the member is one of the list's values.
            pairs = [(node.container, node.member)]
        else:
            pairs = [(node.member, node.container)]
    for fact_node, literal_node in pairs:
        fact = fact_of(fact_node)
        literals = literals_of(literal_node)
        if fact is None or literals is None:
            continue
        if (
            fact.startswith(MARKER_PREFIX)
            and fact.removeprefix(MARKER_PREFIX) not in vocabulary.marker_values
        ):
            continue
        for literal in literals:
            problem = _check_literal(fact, literal, vocabulary)
            if problem:
                problems.append(problem)
