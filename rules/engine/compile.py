"""Compiling a condition: parse with rule-engine, check the safe subset, memoise outcomes.

Each compiled condition memoises its outcome by the tuple of the facts it reads, so a rule
over `pik3ca` and `pten` is evaluated at most nine times, for one case or a million.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from typing import Any

import rule_engine

from rules.engine.checks import check_node
from rules.engine.vocabulary import Vocabulary


class ConditionError(ValueError):
    """A condition that cannot be used; `messages` say what to fix, for a curator."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class CompiledCondition:
    """A checked condition, the facts it reads, and its memo of outcomes by their values."""

    def __init__(self, text: str, facts: tuple[str, ...], rule: rule_engine.Rule):
        self.text = text
        self.facts = facts
        self.rule = rule
        self.memo: dict[Any, bool] = {}
        self.errors: dict[Any, str] = {}
        self._matched: dict[Any, Mapping[str, Any]] = {}
        # One C-level call reads the values (facts_build flattens markers to "markers.X").
        self.key = operator.itemgetter(*facts)

    def values(self, key: Any) -> tuple:
        return (key,) if len(self.facts) == 1 else key

    def matched(self, key: Any) -> Mapping[str, Any]:
        """The facts read, by name, for these values (cached: treat it as read-only)."""
        try:
            return self._matched[key]
        except KeyError:
            pass
        values = self.values(key)
        matched = {n: _plain(v) for n, v in zip(self.facts, values, strict=True)}
        self._matched[key] = matched
        return matched

    def outcome(self, facts: Mapping[str, Any]) -> bool:
        """Whether the condition holds for these facts, memoised by the values it reads."""
        key = self.key(facts)
        try:
            return self.memo[key]
        except KeyError:
            pass
        try:
            fired = bool(self.rule.evaluate(facts))
        except rule_engine.errors.EngineError as exc:
            # A comparison with a missing number, say: the rule cannot fire on these facts.
            fired = False
            self.errors[key] = f"could not evaluate: {exc.message}"
        self.memo[key] = fired
        return fired

    def error(self, facts: Mapping[str, Any]) -> str | None:
        return self.errors.get(self.key(facts))


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def condition_compile(text: str, vocabulary: Vocabulary) -> CompiledCondition:
    """Compile and check a condition; raise ConditionError with every problem found.

    Cached by (text, vocabulary): an edited condition or a changed catalogue compiles
    afresh with an empty memo, so stale outcomes can never be served.
    """
    try:
        return vocabulary.compiled[text]
    except KeyError:
        compiled = _compile(text, vocabulary)
    vocabulary.compiled[text] = compiled
    return compiled


def _compile(text: str, vocabulary: Vocabulary) -> CompiledCondition:
    if not text or not text.strip():
        raise ConditionError(["The condition is empty."])
    try:
        rule = rule_engine.Rule(text, context=vocabulary.context)
    except rule_engine.errors.SymbolResolutionError as exc:
        hint = f' Did you mean "{exc.suggestion}"?' if exc.suggestion else ""
        raise ConditionError([f'Unknown name "{exc.symbol_name}".{hint}']) from None
    except rule_engine.errors.RuleSyntaxError as exc:
        where = (
            f" at {exc.token.value!r} (position {exc.token.lexpos})" if exc.token else " at the end"
        )
        raise ConditionError([f"Syntax error{where}."]) from None
    except rule_engine.errors.EngineError as exc:
        raise ConditionError([f"The condition is not valid: {exc.message}."]) from None
    problems: list[str] = []
    facts: list[str] = []
    check_node(rule.statement.expression, vocabulary, problems, facts)
    if not facts and not problems:
        problems.append("The condition reads no fact of the profile.")
    if problems:
        raise ConditionError(list(dict.fromkeys(problems)))
    return CompiledCondition(text=text, facts=tuple(dict.fromkeys(facts)), rule=rule)
