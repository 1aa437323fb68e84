"""Suggested tests: unknown or untested facts whose result would change which rules fire.

Found by evaluating each alternative result, not from a hand-kept list; the memo of each
compiled condition makes this cheap. A fact's suggestion depends only on the values its
readers read, so it is memoised by those values too (`RuleSet.suggestions`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cases.contract import MARKER_NOT_TESTED
from cases.her2 import her2_status_derive
from rules.engine.vocabulary import (
    MARKER_PREFIX,
    OUT_OF_SCOPE_STATUSES,
    UNKNOWN_VALUES,
    Vocabulary,
)

if TYPE_CHECKING:
    from rules.engine.evaluate import RuleSet


# Past this many remembered suggestions a rule set forgets them all (numbers such as a
# positive fraction can make the values read unbounded).
SUGGESTIONS_KEPT = 50_000
HER2_FACTS = ("her2_ish", "her2_ihc")


@dataclass(frozen=True, eq=False)  # compared by identity: one object per memoised answer
class SuggestedTest:
    fact: str
    why: str
    changes: tuple[dict[str, Any], ...]


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
    read = ruleset.suggestable
    memo = ruleset.suggestions
    in_scope = facts["her2_status"] not in OUT_OF_SCOPE_STATUSES
    suggestions = []
    for fact in _unknown_facts(facts, vocabulary):
        if fact not in read:
            continue
        if fact in HER2_FACTS:  # moves the HER2 status, and with it every rule's scope
            test = _suggest(facts, fact, ruleset, vocabulary, entries=None)
        else:  # only the rules that read the fact can change: their values decide
            key = (fact, in_scope, ruleset.reader_values[fact](facts))
            try:
                test = memo[key]
            except KeyError:
                if len(memo) >= SUGGESTIONS_KEPT:
                    memo.clear()
                entries = ruleset.readers[fact]
                test = memo[key] = _suggest(facts, fact, ruleset, vocabulary, entries=entries)
        if test is not None:
            suggestions.append(test)
    return tuple(suggestions)


def _suggest(
    facts: Mapping[str, Any],
    fact: str,
    ruleset: RuleSet,
    vocabulary: Vocabulary,
    *,
    entries: tuple | None,
) -> SuggestedTest | None:
    baseline = {rule.slug for rule, _, _ in ruleset.fired(facts, entries)}
    changes = []
    for value in vocabulary.values_of(fact) or ():
        if value in UNKNOWN_VALUES:
            continue
        fired = {rule.slug for rule, _, _ in ruleset.fired(_with(facts, fact, value), entries)}
        if fired != baseline:
            changes.append(
                {
                    "value": value,
                    "would_fire": sorted(fired - baseline),
                    "would_stop": sorted(baseline - fired),
                }
            )
    if not changes:
        return None
    return SuggestedTest(fact=fact, why=_why(fact, changes), changes=tuple(changes))


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
