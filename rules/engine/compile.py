"""Compiling a condition: parse with rule-engine, check the safe subset, memoise outcomes.

Each compiled condition memoises its outcome by the tuple of the facts it reads, so a rule
over `pik3ca` and `pten` is evaluated at most nine times, for one case or a million.

A condition is bounded in length, node count and nesting depth (CONDITION_LIMITS), so
every path that compiles one (API, admin, import, evaluation) gives the same answer
whatever its stack depth. An outcome that raises is recorded in `raised` and counts as
not fired: one broken rule is skipped, never the whole evaluation.
"""

from __future__ import annotations

import functools
import logging
import operator
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import rule_engine

from core.memory import register
from rules.engine.checks import check_node, children
from rules.engine.program import program_build
from rules.engine.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

MAX_CHARACTERS = 2_000
MAX_NODES = 200
MAX_DEPTH = 50


class ConditionError(ValueError):
    """A condition that cannot be used; `messages` say what to fix, for a curator."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class Match(NamedTuple):
    rule: Any  # PlainRule
    matched_facts: Mapping[str, Any]


# Conditions that ever raised on some values (weakly held): while it is empty, an
# evaluation skips nothing without looking.
RAISED: weakref.WeakSet[CompiledCondition] = weakref.WeakSet()
register(
    __name__,
    "RAISED",
    holds="an index of the compiled conditions whose `raised` records are not empty",
    invalidated="with its conditions (weakly held); forgetting it alone would hide their "
    "records, so forget() leaves it",
    forget=lambda: None,
)


class CompiledCondition:
    """A checked condition, the facts it reads, and its memo of outcomes by their values."""

    def __init__(self, text: str, facts: tuple[str, ...], rule: rule_engine.Rule):
        self.text = text
        self.facts = facts
        self.rule = rule
        self.memo: dict[Any, bool] = {}
        self.errors: dict[Any, str] = {}
        # Values on which evaluating raised something other than rule-engine's own errors:
        # the rule is skipped for them and reported (Evaluation.skipped).
        self.raised: dict[Any, str] = {}
        self._matched: dict[Any, Mapping[str, Any]] = {}
        self._matches: dict[Any, Match] = {}
        # One C-level call reads the values (facts_build flattens markers to "markers.X").
        self.key = operator.itemgetter(*facts)

    @functools.cached_property
    def program(self):
        """The condition alone as generated code (rules.engine.program): (hits, retry)."""
        return program_build([getattr(getattr(self.rule, "statement", None), "expression", None)])

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

    def match(self, rule: Any, key: Any) -> Match:
        """The Match of `rule` for these values (cached: one object per distinct values)."""
        try:
            found = self._matches[key]
        except KeyError:
            found = self._matches[key] = Match(rule, self.matched(key))
        if found.rule is not rule:  # the same condition text in another rule
            return Match(rule, found.matched_facts)
        return found

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
        except Exception as exc:  # one rule's failure must not take the evaluation down
            fired = False
            self.raised[key] = self.errors[key] = f"raised {type(exc).__name__}"
            RAISED.add(self)
            logger.error(
                "Condition %r raised %s on %s; its rule is skipped.",
                self.text,
                type(exc).__name__,
                dict(zip(self.facts, self.values(key), strict=True)),
            )
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
    cached = vocabulary.compiled.get(text)
    if cached is not None:
        return cached
    compiled = _compile(text, vocabulary)
    vocabulary.compiled.put(text, compiled)
    return compiled


def _shape(node: Any) -> tuple[int, int]:
    """(nodes, depth) of a parsed expression, walked without recursion."""
    nodes, depth, stack = 0, 0, [(node, 1)]
    while stack:
        node, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        stack.extend((child, level + 1) for child in children(node))
    return nodes, depth


def _compile(text: str, vocabulary: Vocabulary) -> CompiledCondition:
    if not text or not text.strip():
        raise ConditionError(["The condition is empty."])
    if len(text) > MAX_CHARACTERS:
        raise ConditionError(
            [f"The condition is {len(text):,} characters long; at most {MAX_CHARACTERS:,}."]
        )
    try:
        rule = rule_engine.Rule(text, context=vocabulary.context)
    except rule_engine.errors.SymbolResolutionError as exc:
        raise ConditionError([_unknown_name(exc, vocabulary)]) from None
    except RecursionError:
        raise ConditionError([f"The condition is nested more than {MAX_DEPTH} deep."]) from None
    except rule_engine.errors.RuleSyntaxError as exc:
        where = (
            f" at {exc.token.value!r} (position {exc.token.lexpos})" if exc.token else " at the end"
        )
        raise ConditionError([f"Syntax error{where}."]) from None
    except rule_engine.errors.EngineError as exc:
        raise ConditionError([f"The condition is not valid: {exc.message}."]) from None
    except (OverflowError, ValueError, ArithmeticError):
        # rule-engine parses literals (a timedelta of 10^20 days, say) before our checks.
        raise ConditionError(["A literal in the condition is not a valid value."]) from None
    nodes, depth = _shape(rule.statement.expression)
    if nodes > MAX_NODES:
        raise ConditionError(
            [f"The condition has {nodes} parts; at most {MAX_NODES} (split it into rules)."]
        )
    if depth > MAX_DEPTH:
        raise ConditionError([f"The condition is nested {depth} deep; at most {MAX_DEPTH}."])
    problems: list[str] = []
    facts: list[str] = []
    check_node(rule.statement.expression, vocabulary, problems, facts)
    if not facts and not problems:
        problems.append("The condition reads no fact of the profile.")
    if problems:
        raise ConditionError(list(dict.fromkeys(problems)))
    return CompiledCondition(text=text, facts=tuple(dict.fromkeys(facts)), rule=rule)


def _unknown_name(exc: Any, vocabulary: Vocabulary) -> str:
    """An unknown name, with the fix: a marker code is read as markers["CODE"]."""
    name = exc.symbol_name
    codes = {code.lower(): code for code in vocabulary.marker_values}
    if name.lower() in codes:
        return (
            f'Unknown name "{name}". {codes[name.lower()]} is a marker: read it as '
            f'markers["{codes[name.lower()]}"].'
        )
    hint = f' Did you mean "{exc.suggestion}"?' if exc.suggestion else ""
    return f'Unknown name "{name}".{hint}'
