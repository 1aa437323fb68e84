"""The knowledge base's conditions as one Python function, generated from their checked
parse trees: the fast path of an evaluation.

Only the safe subset's nodes (rules.engine.checks) are translated: facts, literals,
and/or/not, comparisons, `in`, `markers["CODE"]`, `.length` and `.is_empty`. The source
holds no curator text at all: every fact name and literal is passed in as a constant
(`c0`, `c1`, ...), and a node outside the subset makes its condition run on rule-engine
instead. Where rule-engine would refuse a value (a missing number in `>`, `in` on
nothing), the Python expression raises too; the condition then runs on rule-engine, whose
outcome, error and report (skipped_rules) stay the reference. A hypothesis test checks that
both agree on the whole safe subset.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import rule_engine.ast as ast

from rules.engine.checks import fact_of

COMPARISONS = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


class NotTranslated(Exception):
    """A node outside the translated subset: its condition runs on rule-engine."""


class _Source:
    def __init__(self) -> None:
        self.constants: list[Any] = []

    def constant(self, value: Any) -> str:
        self.constants.append(value)
        return f"c{len(self.constants) - 1}"

    def expression(self, node: Any) -> str:
        if node is None:
            raise NotTranslated("no parse tree")
        fact = fact_of(node)
        if fact is not None:
            return f"f[{self.constant(fact)}]"
        if isinstance(node, ast.StringExpression | ast.FloatExpression | ast.BooleanExpression):
            return self.constant(node.value)
        if isinstance(node, ast.NullExpression):
            return "None"
        if isinstance(node, ast.ArrayExpression):
            items = [self.expression(item) for item in node.value]
            return "(" + "".join(f"{item}, " for item in items) + ")"
        if isinstance(node, ast.LogicExpression) and node.type in ("and", "or"):
            return f"({self.expression(node.left)} {node.type} {self.expression(node.right)})"
        if isinstance(node, ast.UnaryExpression) and node.type == "not":
            return f"(not {self.expression(node.right)})"
        if isinstance(node, ast.ComparisonExpression) and node.type in COMPARISONS:
            left, right = self.expression(node.left), self.expression(node.right)
            if node.type in ("eq", "ne") and not _same_type_literal(node):
                # rule-engine: values of different types are never equal.
                return f"({'' if node.type == 'eq' else 'not '}_eq({left}, {right}))"
            return f"({left} {COMPARISONS[node.type]} {right})"
        if isinstance(node, ast.ContainsExpression):
            return f"_in({self.expression(node.member)}, {self.expression(node.container)})"
        if isinstance(node, ast.GetAttributeExpression) and node.name == "length":
            return f"len({self.expression(node.object)})"
        if isinstance(node, ast.GetAttributeExpression) and node.name == "is_empty":
            return f"(len({self.expression(node.object)}) == 0)"
        raise NotTranslated(type(node).__name__)


def _same_type_literal(node: Any) -> bool:
    """A fact compared with a string literal or null: Python's == is rule-engine's."""
    literal = (ast.StringExpression, ast.NullExpression)
    return (fact_of(node.left) is not None and isinstance(node.right, literal)) or (
        fact_of(node.right) is not None and isinstance(node.left, literal)
    )


def _eq(left: Any, right: Any) -> bool:
    if isinstance(left, int) and not isinstance(left, bool):
        left = Decimal(left)
    if isinstance(right, int) and not isinstance(right, bool):
        right = Decimal(right)
    return type(left) is type(right) and left == right


def _in(member: Any, container: Any) -> bool:
    if isinstance(container, str) and not isinstance(member, str):
        raise TypeError("data type mismatch")
    return member in container


def program_build(expressions: Sequence[Any]) -> Callable[[dict], tuple[list[int], list[int]]]:
    """One function over the facts: (indices of conditions that hold, indices to run on
    rule-engine), for the parsed expressions in order."""
    source = _Source()
    lines = ["def program(f):", "    hits = []", "    retry = []"]
    for index, expression in enumerate(expressions):
        try:
            text = source.expression(expression)
        except NotTranslated:
            lines.append(f"    retry.append({index})")
            continue
        lines += [
            "    try:",
            f"        if {text}:",
            f"            hits.append({index})",
            "    except Exception:",
            f"        retry.append({index})",
        ]
    lines.append("    return hits, retry")
    namespace: dict[str, Any] = {f"c{i}": value for i, value in enumerate(source.constants)}
    namespace.update(_eq=_eq, _in=_in, len=len, Exception=Exception, __builtins__={})
    text = "\n".join(lines)
    exec(compile(text, "<knowledge-base program>", "exec"), namespace)  # noqa: S102 - no curator text
    program = namespace["program"]
    program.source = text
    return program
