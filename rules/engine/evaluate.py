"""Evaluating rules on plain profile facts: matches, the facts that triggered them, a trace.

Out of scope (HER2-zero), only scope rules fire. A `RuleSet` holds rules with their
compiled conditions, ready for one profile or a million (rules.engine's cohort callers).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cases.contract import MARKER_NOT_TESTED
from cases.her2 import her2_status_derive
from rules.engine.compile import RAISED, CompiledCondition, Match, condition_compile
from rules.engine.program import program_build
from rules.engine.suggest import SuggestedTest, tests_suggest
from rules.engine.vocabulary import (
    MARKER_PREFIX,
    OUT_OF_SCOPE_STATUSES,
    SCOPE_KIND,
    PlainRule,
    Vocabulary,
)


def number_normalise(value: Any) -> Any:
    """A number fact as conditions see it: NaN (from a spreadsheet, say) is "not given"."""
    return None if isinstance(value, float) and value != value else value


def facts_build(profile: Mapping[str, Any], *, vocabulary: Vocabulary) -> dict[str, Any]:
    """Engine facts from a clean profile: derived her2_status, every catalogue marker present."""
    facts = {name: profile[name] for name, _ in vocabulary.scalars if name != "her2_status"}
    for name in vocabulary.number_facts:
        facts[name] = number_normalise(facts[name])
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


class Evaluation(NamedTuple):  # a tuple: made for every profile, so made cheaply
    her2_status: str
    in_scope: bool
    matches: tuple[Match, ...]
    suggested_tests: tuple[SuggestedTest, ...]
    trace: tuple[dict[str, Any], ...]
    # Rules whose condition raised on these facts: not fired, and reported.
    skipped: tuple[str, ...] = ()


class ProgramEntry(NamedTuple):
    """One rule as the hot path evaluates it: its condition's key, memo and outcome bound
    once, so evaluating a rule is a lookup (unpacking costs what a plain tuple's does)."""

    rule: PlainRule
    condition: CompiledCondition
    key: Any  # facts -> the values the condition reads
    memo: dict
    outcome: Any  # facts -> whether it fires
    is_scope: bool


@dataclass(frozen=True)
class RuleSet:
    """Rules with their compiled conditions, ready to evaluate many profiles."""

    rules: tuple[PlainRule, ...]
    conditions: tuple[CompiledCondition, ...]

    @functools.cached_property
    def _entries(self) -> tuple[ProgramEntry, ...]:
        return tuple(
            ProgramEntry(
                rule=rule,
                condition=condition,
                key=condition.key,
                memo=condition.memo,
                outcome=condition.outcome,
                is_scope=rule.kind == SCOPE_KIND,
            )
            for rule, condition in zip(self.rules, self.conditions, strict=True)
        )

    @functools.cached_property
    def _generated(self):
        """All conditions as one generated function (rules.engine.program)."""
        return program_build(
            [
                getattr(getattr(c.rule, "statement", None), "expression", None)
                for c in self.conditions
            ]
        )

    @functools.cached_property
    def readers(self) -> dict[str, tuple]:
        """Per fact, the entries of the rules that read it."""
        readers: dict[str, list] = {}
        for entry in self._entries:
            for name in entry.condition.facts:
                readers.setdefault(name, []).append(entry)
        return {name: tuple(entries) for name, entries in readers.items()}

    @functools.cached_property
    def suggestable(self) -> frozenset[str]:
        """Facts whose result could change what fires (rules.engine.suggest)."""
        read = set(self.readers)
        if "her2_status" in read:
            read.add("her2_ish")
        return frozenset(read)

    @functools.cached_property
    def reader_values(self) -> dict[str, Any]:
        """Per fact, a getter of every value its readers read (the fact's own included):
        what its suggested test depends on."""
        getters = {}
        for name, entries in self.readers.items():
            names = sorted({read for entry in entries for read in entry.condition.facts})
            getters[name] = operator.itemgetter(*names)
        return getters

    @functools.cached_property
    def suggestions(self) -> dict[tuple, Any]:
        """Memo of tests_suggest: (fact, in scope, values its readers read) → its test."""
        return {}

    def skipped(self, facts: Mapping[str, Any]) -> tuple[str, ...]:
        """Slugs of the rules whose condition raised on these facts (usually none: only
        conditions that ever raised, in RAISED, are looked at)."""
        if not RAISED:
            return ()
        return tuple(
            rule.slug
            for rule, condition in zip(self.rules, self.conditions, strict=True)
            if condition.raised and condition.key(facts) in condition.raised
        )

    def fired(
        self, facts: Mapping[str, Any], entries: tuple[ProgramEntry, ...] | None = None
    ) -> list[tuple[PlainRule, CompiledCondition, Any]]:
        """(rule, condition, values it read) for each rule that fires on `facts`
        (among `entries`, a subset of the rules, when given)."""
        in_scope = facts["her2_status"] not in OUT_OF_SCOPE_STATUSES
        if entries is None:
            return self._fired_generated(facts, in_scope)
        fired = []
        for rule, condition, key_of, memo, outcome, is_scope in entries:
            key = key_of(facts)
            try:
                hit = memo[key]
            except KeyError:
                hit = outcome(facts)
            if hit and (in_scope or is_scope):
                fired.append((rule, condition, key))
        return fired

    def _fired_generated(self, facts: Mapping[str, Any], in_scope: bool) -> list:
        hits, retry = self._generated(facts)
        entries = self._entries
        if retry:  # conditions rule-engine evaluates (with its memo, errors and reports)
            hits = sorted(hits + [i for i in retry if entries[i].outcome(facts)])
        fired = []
        for index in hits:
            rule, condition, key_of, _, _, is_scope = entries[index]
            if in_scope or is_scope:
                fired.append((rule, condition, key_of(facts)))
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
    trace: bool = False,
) -> Evaluation:
    """Evaluate every rule on `facts` (from `facts_build`).

    Out of scope (HER2-zero) only scope rules fire: no trastuzumab strategy is suggested.
    With `explain` off, suggested tests are skipped (batch use); the per-rule trace is
    made only when asked for (`trace`: no payload shows it). Pass a RuleSet
    (ruleset_compile) to evaluate many profiles without re-reading the rules.
    """
    ruleset = rules if isinstance(rules, RuleSet) else ruleset_compile(rules, vocabulary)
    matches = tuple(condition.match(rule, key) for rule, condition, key in ruleset.fired(facts))
    suggested = tests_suggest(facts, ruleset, vocabulary=vocabulary) if explain else ()
    return Evaluation(
        her2_status=facts["her2_status"],
        in_scope=facts["her2_status"] not in OUT_OF_SCOPE_STATUSES,
        matches=matches,
        suggested_tests=suggested,
        trace=tuple(_trace(facts, ruleset)) if trace else (),
        skipped=ruleset.skipped(facts),
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
