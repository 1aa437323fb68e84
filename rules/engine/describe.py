"""Conditions in plain words, for the knowledge-base browser and printed summaries.

Reads the parsed expression (the engine's compile), never the text, so the words always
say what the engine evaluates. In English by default; a page in another language passes
`translate` (Django's gettext), which turns the connecting words, the facts' labels and
the values' labels into that language (marker codes and scale values stay as they are).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rule_engine.ast as ast

from cases.contract import ALL_FIELDS, N_, THERAPIES, in_sentence, words_of
from rules.engine.checks import fact_of, literals_of
from rules.engine.compile import ConditionError, condition_compile
from rules.engine.vocabulary import MARKER_PREFIX, Vocabulary

COMPARISONS = {"eq": N_("%(fact)s is %(value)s"), "ne": N_("%(fact)s is not %(value)s"),
               "lt": N_("%(fact)s is below %(value)s"), "le": N_("%(fact)s is at most %(value)s"),
               "gt": N_("%(fact)s is above %(value)s"),
               "ge": N_("%(fact)s is at least %(value)s")}  # fmt: skip
JOINS = {"and": N_("and"), "or": N_("or")}
THERAPY_LABELS = THERAPIES.labels


@dataclass(frozen=True)
class _Words:
    """The words of one condition; `translate` is None for the English of record."""

    translate: Callable[[str], str] | None

    def _(self, text: str) -> str:
        return self.translate(text) if self.translate else text

    def fact(self, node: Any) -> str | None:
        fact = fact_of(node)
        if fact is None:
            return None
        if fact.startswith(MARKER_PREFIX):
            return fact.removeprefix(MARKER_PREFIX)
        spec = ALL_FIELDS.get(fact)
        if self.translate is None or spec is None:
            return words_of(fact)
        return in_sentence(self.translate(spec.label))

    def shown(self, value: Any, fact: str | None = None) -> str:
        if value is None:
            return self._(N_("unknown"))
        if isinstance(value, str):
            if value in THERAPY_LABELS:
                label = THERAPY_LABELS[value]
                return in_sentence(self.translate(label)) if self.translate else label
            if self.translate is None:
                return value.replace("_", " ")
            if (fact or "").startswith(MARKER_PREFIX):
                return self.translate(value)  # a marker's scale value ("high")
            spec = ALL_FIELDS.get(fact or "")
            label = spec.choices.labels.get(value) if spec and spec.choices else None
            return in_sentence(self.translate(label)) if label else value.replace("_", " ")
        return str(value).lower() if isinstance(value, bool) else str(value)

    def value(self, node: Any, fact: str | None = None) -> str:
        literals = literals_of(node)
        if literals is None:
            return self.words(node)
        return f" {self._(N_('or'))} ".join(self.shown(v, fact) for v in literals)

    def attribute(self, node: Any) -> str:
        """`prior_therapies.length` -> "the number of prior therapies"."""
        label = self.fact(node.object) or self.words(node.object)
        if node.name == "length":
            return self._(N_("the number of %(items)s")) % {"items": label.lower()}
        return self._(N_("%(items)s is empty")) % {"items": label}

    def words(self, node: Any) -> str:
        """Every node the safe subset allows has its own words; any other ends in a plain
        fallback (never recursion without end)."""
        if isinstance(node, ast.GetAttributeExpression):
            return self.attribute(node)
        if isinstance(node, ast.LogicExpression):
            parts = []
            for side in (node.left, node.right):
                text = self.words(side)
                if isinstance(side, ast.LogicExpression) and side.type != node.type:
                    text = f"({text})"
                parts.append(text)
            return f" {self._(JOINS.get(node.type, node.type))} ".join(parts)
        if isinstance(node, ast.UnaryExpression):
            return self._(N_("not (%(condition)s)")) % {"condition": self.words(node.right)}
        if isinstance(node, ast.ComparisonExpression | ast.ArithmeticComparisonExpression):
            label = self.fact(node.left)
            fact = fact_of(node.left)
            left = label if label is not None else self.value(node.left)
            said = COMPARISONS.get(node.type)
            right = self.value(node.right, fact)
            if said is None:
                return f"{left} {node.type} {right}"
            return self._(said) % {"fact": left, "value": right}
        if isinstance(node, ast.ContainsExpression):
            container = self.fact(node.container)
            if container is not None:
                return self._(N_("%(items)s include %(value)s")) % {
                    "items": container,
                    "value": self.value(node.member, fact_of(node.container)),
                }
            member = self.fact(node.member) or self.value(node.member)
            return self._(N_("%(fact)s is %(value)s")) % {
                "fact": member,
                "value": self.value(node.container, fact_of(node.member)),
            }
        label = self.fact(node)
        if label is not None:
            return label
        literals = literals_of(node)
        if literals is not None:
            return f" {self._(N_('or'))} ".join(self.shown(v) for v in literals)
        return type(node).__name__.removesuffix("Expression").lower()


def condition_words(
    text: str, vocabulary: Vocabulary, translate: Callable[[str], str] | None = None
) -> str:
    """e.g. 'pik3ca == "mutated" or pten == "lost"' -> 'PIK3CA is mutated or PTEN is lost';
    with `translate`, in the page's language."""
    try:
        compiled = condition_compile(text, vocabulary)
        return _Words(translate).words(compiled.rule.statement.expression)
    except (ConditionError, RecursionError, AttributeError, TypeError, ValueError):
        return text
