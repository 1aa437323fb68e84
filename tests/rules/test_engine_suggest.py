"""Suggested tests, memoised by the values their readers read, agree with working every
alternative result out over the whole knowledge base; and their wording is the same
whatever order a set happens to iterate in."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.profile import profile_clean
from rules import engine
from rules.engine.suggest import _unknown_facts, _with
from rules.engine.vocabulary import UNKNOWN_VALUES
from rules.evaluation import _rank, profile_evaluate
from rules.knowledge_base import knowledge_base_published
from tests.factories import contract_example, profiles

pytestmark = pytest.mark.django_db


def _fired(ruleset: engine.RuleSet, facts) -> set[str]:
    return {rule.slug for rule, _, _ in ruleset.fired(facts)}


def _reference(facts, kb) -> list[tuple]:
    """Every unknown fact, every result it could have, every rule re-evaluated: no memo,
    no shortcut through the rules that read the fact."""
    baseline = _fired(kb.ruleset, facts)
    expected = []
    for fact in _unknown_facts(facts, kb.vocabulary):
        changes = []
        for value in kb.vocabulary.values_of(fact) or ():
            if value in UNKNOWN_VALUES:
                continue
            fired = _fired(kb.ruleset, _with(facts, fact, value))
            if fired != baseline:
                changes.append((value, sorted(fired - baseline), sorted(baseline - fired)))
        if changes:
            expected.append((fact, changes))
    return expected


def _answered(tests) -> list[tuple]:
    return [
        (t.fact, [(c["value"], c["would_fire"], c["would_stop"]) for c in t.changes]) for t in tests
    ]


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_memoised_suggested_tests_equal_every_alternative_worked_out(data):
    kb = knowledge_base_published()
    drawn = data.draw(profiles(kb.marker_scales))
    facts = engine.facts_build(
        profile_clean(data=drawn, marker_scales=kb.marker_scales), vocabulary=kb.vocabulary
    )
    first = engine.tests_suggest(facts, kb.ruleset, vocabulary=kb.vocabulary)
    again = engine.tests_suggest(facts, kb.ruleset, vocabulary=kb.vocabulary)  # from the memo
    assert _answered(first) == _answered(again) == _reference(facts, kb)


def test_a_fact_read_alongside_others_is_not_answered_from_another_profiles_memo():
    # Same MUC4 (untested) in both; only the facts its rules read with it differ.
    kb = knowledge_base_published()
    answers = {}
    for response in ("acquired_resistance", "naive"):
        payload = profile_evaluate(
            profile=profile_clean(
                data=contract_example(trastuzumab_response=response, markers={}),
                marker_scales=kb.marker_scales,
            )
        )
        answers[response] = {t["fact"]: t["adds"] for t in payload["research_assays"]}
    assert answers["acquired_resistance"] != answers["naive"]


def test_titles_a_test_would_add_come_strongest_first_then_by_rule():
    kb = knowledge_base_published()
    by_title = {rule.title: rule for rule in kb.rules}
    payload = profile_evaluate(
        profile=profile_clean(
            data=contract_example(her2_ihc="2+", her2_ish="not_done", markers={}),
            marker_scales=kb.marker_scales,
        )
    )
    tests = payload["suggested_tests"] + payload["research_assays"]
    assert any(len(t["adds"]) > 1 for t in tests)
    for test in tests:
        keys = [(*_rank(by_title[title]), by_title[title].slug) for title in test["adds"]]
        assert keys == sorted(keys), test["fact"]
