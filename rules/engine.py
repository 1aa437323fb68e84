"""The rule engine: compiles curated conditions and evaluates them on plain profile facts.

Pure by design: no ORM, no models. Callers pass plain facts (a dict) and plain rules
(`PlainRule`), and get back matches with the facts that triggered them, the tests whose
result would change the outcome, and a trace.

Conditions are `rule-engine` expressions compiled against a typed context that declares
every profile fact. Only a small, safe subset of the language is accepted (see
`_ALLOWED_NODES`); regular-expression operators are refused because they can hang. Each
compiled condition memoises its outcome by the tuple of the facts it reads, so a rule over
`pik3ca` and `pten` is evaluated at most nine times, for one case or a million.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import rule_engine
import rule_engine.ast as ast
from rule_engine import DataType

from cases.choices import MARKER_NOT_TESTED, Her2Status
from cases.her2 import her2_status_derive
from cases.profile import PROFILE_FIELDS

# Profile facts a condition may read. `notes` is discussion text, never a fact.
NOT_FACTS = frozenset({"notes", "markers"})
MARKER_PREFIX = "markers."
UNKNOWN_VALUES = frozenset({"unknown", "not_done", MARKER_NOT_TESTED})
OUT_OF_SCOPE_STATUSES = frozenset({Her2Status.ZERO.value})
SCOPE_KIND = "scope"
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


class ConditionError(ValueError):
    """A condition that cannot be used; `messages` say what to fix, for a curator."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Vocabulary:
    """What each fact accepts: scalar facts by name, markers by catalogue code."""

    scalars: tuple[tuple[str, tuple[str, ...] | None], ...]  # None: a number
    markers: tuple[tuple[str, tuple[str, ...]], ...]

    @functools.cached_property
    def scalar_values(self) -> dict[str, tuple[str, ...] | None]:
        return dict(self.scalars)

    @functools.cached_property
    def marker_values(self) -> dict[str, tuple[str, ...]]:
        return dict(self.markers)

    def values_of(self, fact: str) -> tuple[str, ...] | None:
        if fact.startswith(MARKER_PREFIX):
            return self.marker_values[fact.removeprefix(MARKER_PREFIX)]
        return self.scalar_values[fact]

    @functools.cached_property
    def compiled(self) -> dict[str, CompiledCondition]:
        """Compiled conditions for this vocabulary, by text (see condition_compile)."""
        return {}

    @functools.cached_property
    def context(self) -> rule_engine.Context:
        types: dict[str, Any] = {}
        for name, values in self.scalars:
            spec = PROFILE_FIELDS.get(name)
            if spec is not None and spec.kind == "choices":
                types[name] = DataType.ARRAY(DataType.STRING)
            elif spec is not None and spec.kind == "bool":
                types[name] = DataType.BOOLEAN
            elif values is None:
                types[name] = DataType.FLOAT
            else:
                types[name] = DataType.STRING
        types["markers"] = DataType.MAPPING(DataType.STRING, DataType.STRING)
        return rule_engine.Context(
            type_resolver=rule_engine.type_resolver_from_dict(types),
            resolver=rule_engine.resolve_item,
        )


def vocabulary_build(*, marker_scales: Mapping[str, Sequence[str]]) -> Vocabulary:
    """The facts of the contract plus the derived her2_status, and the marker catalogue.

    The same catalogue gives the same Vocabulary object, so compiled conditions and their
    memo tables survive from one request to the next until the catalogue changes.
    """
    return _vocabulary_for(tuple(sorted((code, tuple(v)) for code, v in marker_scales.items())))


@functools.lru_cache(maxsize=16)
def _vocabulary_for(marker_scales: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    scalars: list[tuple[str, tuple[str, ...] | None]] = []
    for name, spec in PROFILE_FIELDS.items():
        if name in NOT_FACTS:
            continue
        if spec.kind == "bool":
            scalars.append((name, ("true", "false")))
        elif spec.kind == "percent":
            scalars.append((name, None))
        else:
            scalars.append((name, spec.values))
    scalars.append(("her2_status", tuple(Her2Status.values)))
    markers = tuple((code, (*values, MARKER_NOT_TESTED)) for code, values in marker_scales)
    return Vocabulary(scalars=tuple(scalars), markers=markers)


@dataclass(frozen=True)
class PlainRule:
    """A rule as plain data: what the knowledge base hands to the engine."""

    slug: str
    title: str
    condition: str
    kind: str
    mechanism: str
    strategy: str | None
    evidence_level: str
    rationale: str
    citations: tuple[Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


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


def fact_value(facts: Mapping[str, Any], name: str) -> Any:
    return facts[name]


# --- compiling and checking conditions -------------------------------------------------


def _children(node: Any) -> Iterable[Any]:
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


def _check_node(node: Any, vocabulary: Vocabulary, problems: list[str], facts: list[str]) -> None:
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
    for child in _children(node):
        _check_node(child, vocabulary, problems, facts)


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
    _check_node(rule.statement.expression, vocabulary, problems, facts)
    if not facts and not problems:
        problems.append("The condition reads no fact of the profile.")
    if problems:
        raise ConditionError(list(dict.fromkeys(problems)))
    return CompiledCondition(text=text, facts=tuple(dict.fromkeys(facts)), rule=rule)


# --- evaluating -----------------------------------------------------------------------


def facts_build(profile: Mapping[str, Any], *, vocabulary: Vocabulary) -> dict[str, Any]:
    """Engine facts from a clean profile: derived her2_status, every catalogue marker present."""
    facts = {name: profile[name] for name, _ in vocabulary.scalars if name != "her2_status"}
    facts["prior_therapies"] = tuple(facts["prior_therapies"])
    facts["her2_status"] = her2_status_derive(ihc=profile["her2_ihc"], ish=profile["her2_ish"])
    given = profile.get("markers") or {}
    facts["markers"] = {
        code: given.get(code, MARKER_NOT_TESTED) for code in vocabulary.marker_values
    }
    # Flat copies ("markers.MUC4") let a condition read all its facts in one itemgetter call.
    for code, result in facts["markers"].items():
        facts[MARKER_PREFIX + code] = result
    return facts


class Match(NamedTuple):
    rule: PlainRule
    matched_facts: Mapping[str, Any]


@dataclass(frozen=True)
class SuggestedTest:
    fact: str
    why: str
    changes: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Evaluation:
    her2_status: str
    in_scope: bool
    matches: tuple[Match, ...]
    suggested_tests: tuple[SuggestedTest, ...]
    trace: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RuleSet:
    """Rules with their compiled conditions, ready to evaluate many profiles."""

    rules: tuple[PlainRule, ...]
    conditions: tuple[CompiledCondition, ...]

    @functools.cached_property
    def _program(self) -> tuple:
        return tuple(
            (
                rule,
                condition,
                condition.key,
                condition.memo,
                condition.outcome,
                rule.kind == SCOPE_KIND,
            )
            for rule, condition in zip(self.rules, self.conditions, strict=True)
        )

    @functools.cached_property
    def readers(self) -> dict[str, tuple]:
        """Per fact, the program entries of the rules that read it."""
        readers: dict[str, list] = {}
        for entry in self._program:
            for name in entry[1].facts:
                readers.setdefault(name, []).append(entry)
        return {name: tuple(entries) for name, entries in readers.items()}

    def fired(
        self, facts: Mapping[str, Any], program: tuple | None = None
    ) -> list[tuple[PlainRule, CompiledCondition, Any]]:
        """(rule, condition, values it read) for each rule that fires on `facts`
        (among `program`, a subset of the rules, when given)."""
        in_scope = facts["her2_status"] not in OUT_OF_SCOPE_STATUSES
        fired = []
        for rule, condition, key_of, memo, outcome, is_scope in program or self._program:
            key = key_of(facts)
            try:
                hit = memo[key]
            except KeyError:
                hit = outcome(facts)
            if hit and (in_scope or is_scope):
                fired.append((rule, condition, key))
        return fired


def ruleset_compile(rules: Sequence[PlainRule], vocabulary: Vocabulary) -> RuleSet:
    rules = tuple(rules)
    return RuleSet(
        rules=rules, conditions=tuple(condition_compile(r.condition, vocabulary) for r in rules)
    )


def evaluate(
    facts: Mapping[str, Any],
    rules: Sequence[PlainRule] | RuleSet,
    *,
    vocabulary: Vocabulary,
    explain: bool = True,
) -> Evaluation:
    """Evaluate every rule on `facts` (from `facts_build`).

    Out of scope (HER2-zero) only scope rules fire: no trastuzumab strategy is suggested.
    With `explain` off, suggested tests and the trace are skipped (batch use). Pass a
    RuleSet (ruleset_compile) to evaluate many profiles without re-reading the rules.
    """
    ruleset = rules if isinstance(rules, RuleSet) else ruleset_compile(rules, vocabulary)
    matches = tuple(
        Match(rule, condition.matched(key)) for rule, condition, key in ruleset.fired(facts)
    )
    return Evaluation(
        her2_status=facts["her2_status"],
        in_scope=facts["her2_status"] not in OUT_OF_SCOPE_STATUSES,
        matches=matches,
        suggested_tests=tests_suggest(facts, ruleset, vocabulary=vocabulary) if explain else (),
        trace=tuple(_trace(facts, ruleset)) if explain else (),
    )


def _trace(facts: Mapping[str, Any], ruleset: RuleSet) -> list[dict[str, Any]]:
    trace = []
    for rule, condition in zip(ruleset.rules, ruleset.conditions, strict=True):
        entry = {
            "rule": rule.slug,
            "fired": condition.outcome(facts),
            "reads": dict(condition.matched(condition.key(facts))),
        }
        if error := condition.error(facts):
            entry["error"] = error
        trace.append(entry)
    return trace


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _with(facts: Mapping[str, Any], fact: str, value: Any) -> dict[str, Any]:
    changed = dict(facts)
    changed[fact] = value
    if fact.startswith(MARKER_PREFIX):
        changed["markers"] = {**facts["markers"], fact.removeprefix(MARKER_PREFIX): value}
    if fact in ("her2_ihc", "her2_ish"):
        changed["her2_status"] = her2_status_derive(
            ihc=changed["her2_ihc"], ish=changed["her2_ish"]
        )
    return changed


def tests_suggest(
    facts: Mapping[str, Any], ruleset: RuleSet, *, vocabulary: Vocabulary
) -> tuple[SuggestedTest, ...]:
    """Unknown or untested facts whose result would change which rules fire.

    Found by evaluating each alternative result, not from a hand-kept list; the memo
    makes this cheap.
    """
    read = set(ruleset.readers)
    if "her2_status" in read:
        read.add("her2_ish")
    suggestions = []
    for fact in _unknown_facts(facts, vocabulary):
        if fact not in read:
            continue
        # Only the rules that read the fact can change, unless it moves the HER2 status
        # (and with it the scope of every rule).
        program = None if fact in ("her2_ish", "her2_ihc") else ruleset.readers[fact]
        baseline = {rule.slug for rule, _, _ in ruleset.fired(facts, program)}
        changes = []
        for value in vocabulary.values_of(fact) or ():
            if value in UNKNOWN_VALUES:
                continue
            changed = _with(facts, fact, value)
            fired = {rule.slug for rule, _, _ in ruleset.fired(changed, program)}
            if fired != baseline:
                changes.append(
                    {
                        "value": value,
                        "would_fire": sorted(fired - baseline),
                        "would_stop": sorted(baseline - fired),
                    }
                )
        if changes:
            suggestions.append(
                SuggestedTest(fact=fact, why=_why(fact, changes), changes=tuple(changes))
            )
    return tuple(suggestions)


def _unknown_facts(facts: Mapping[str, Any], vocabulary: Vocabulary) -> list[str]:
    unknown = [
        name
        for name, values in vocabulary.scalars
        if values is not None and facts.get(name) in UNKNOWN_VALUES
    ]
    unknown += [
        MARKER_PREFIX + code
        for code, result in facts["markers"].items()
        if result == MARKER_NOT_TESTED
    ]
    return unknown


def _why(fact: str, changes: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for change in changes:
        effect = []
        if change["would_fire"]:
            effect.append("adds " + ", ".join(change["would_fire"]))
        if change["would_stop"]:
            effect.append("removes " + ", ".join(change["would_stop"]))
        parts.append(f"{change['value']}: " + "; ".join(effect))
    name = fact.removeprefix(MARKER_PREFIX)
    return (
        f"{name} is not known here; its result would change the suggestions ({' | '.join(parts)})."
    )
