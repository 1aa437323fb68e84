"""Whether a compiled condition can raise on any profile: tried on every combination of the
values of the facts it reads, before a curator's rule is stored.

and/or/not only combine truth values and cannot raise, so each comparison (or other
expression below them) is tried on every combination of the facts it reads itself; that
covers every combination of the whole condition at a fraction of the cost (a 7-fact rule
of the knowledge base has 69,120 combinations, its largest comparison 102).

The facts are small enumerations, so the combinations can be tried outright: each value a
choice or marker accepts, true/false for a flag, 0-100 for a percentage, and for each of
them also absent (null) and, for numbers, NaN (which the engine reads as absent, as
facts_build does). A list fact (prior therapies) takes the empty list, each therapy
alone, and all of them; it is never absent (facts_build always gives a list).
rule-engine's own errors (a comparison with a missing number) already count as "does
not fire"; anything else raised is a problem, reported with the values that raised it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import rule_engine
import rule_engine.ast as ast

from rules.engine.checks import children, fact_of
from rules.engine.compile import CompiledCondition
from rules.engine.evaluate import number_normalise
from rules.engine.vocabulary import MARKER_PREFIX, Vocabulary

MAX_COMBINATIONS = 50_000


def _domain(fact: str, vocabulary: Vocabulary) -> list[Any]:
    kind = vocabulary.kind_of(fact)
    if kind == "bool":
        return [True, False, None]
    if kind == "number":
        return [*range(101), None, math.nan]
    values = list(vocabulary.values_of(fact) or ())
    if kind == "choices":
        return [(), *((v,) for v in values), tuple(values)]
    return [*values, None]


def _facts(names: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    facts: dict[str, Any] = {"markers": {}}
    for name, value in zip(names, values, strict=True):
        value = number_normalise(value)
        if name.startswith(MARKER_PREFIX):
            facts["markers"][name.removeprefix(MARKER_PREFIX)] = value
        facts[name] = value
    return facts


def _atoms(node: Any) -> Iterator[Any]:
    """The expressions directly below and/or/not: the ones that could raise."""
    if isinstance(node, ast.LogicExpression):
        yield from _atoms(node.left)
        yield from _atoms(node.right)
    elif isinstance(node, ast.UnaryExpression) and node.type == "not":
        yield from _atoms(node.right)
    else:
        yield node


def _facts_read(node: Any) -> tuple[str, ...]:
    found, stack = [], [node]
    while stack:
        node = stack.pop()
        fact = fact_of(node)
        if fact is not None:
            found.append(fact)
        else:
            stack.extend(children(node))
    return tuple(dict.fromkeys(found))


def condition_problems(condition: CompiledCondition, vocabulary: Vocabulary) -> list[str]:
    """What would make this condition raise, for a curator; [] when nothing would."""
    for atom in _atoms(condition.rule.statement.expression):
        names = tuple(f for f in _facts_read(atom) if f in condition.facts)
        domains = [_domain(f, vocabulary) for f in names]
        total = math.prod(len(d) for d in domains)
        if total > MAX_COMBINATIONS:
            return [
                f"One comparison reads {len(names)} facts with {total:,} combinations of "
                f"values; at most {MAX_COMBINATIONS:,} can be checked. Split it."
            ]
        for values in itertools.product(*domains):
            try:
                atom.evaluate(_facts(names, values))
            except rule_engine.errors.EngineError:
                continue  # counts as "does not fire", as at evaluation
            except Exception as exc:
                shown = (
                    ", ".join(
                        f"{name.removeprefix(MARKER_PREFIX)}={value!r}"
                        for name, value in zip(names, values, strict=True)
                    )
                    or "on any profile"
                )
                return [f"The condition raises {type(exc).__name__} when {shown}; rewrite it."]
    return []
