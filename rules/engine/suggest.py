"""Suggested tests: unknown or untested facts whose result would change which rules fire.

Found by evaluating each alternative result, not from a hand-kept list; the memo of each
compiled condition makes this cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cases.contract import MARKER_NOT_TESTED
from cases.her2 import her2_status_derive
from rules.engine.vocabulary import MARKER_PREFIX, UNKNOWN_VALUES, Vocabulary

if TYPE_CHECKING:
    from rules.engine.evaluate import RuleSet


@dataclass(frozen=True)
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
