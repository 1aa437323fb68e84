"""The pure rule engine: condition checks, evaluation, suggested tests and memoisation."""

import subprocess
import sys
from pathlib import Path

import pytest

from cases.profile import profile_clean
from rules.engine import (
    ConditionError,
    PlainRule,
    condition_compile,
    evaluate,
    facts_build,
    vocabulary_build,
)
from tests.factories import CONTRACT_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
SCALES = {
    "MUC4": ("high", "normal", "low"),
    "p95HER2": ("positive", "negative"),
    "PD-L1": ("positive", "negative"),
}
VOCABULARY = vocabulary_build(marker_scales=SCALES)


def _rule(slug, condition, kind="strategy"):
    return PlainRule(
        slug=slug,
        title=slug,
        condition=condition,
        kind=kind,
        mechanism="m",
        strategy="s" if kind == "strategy" else None,
        evidence_level="preclinical",
        rationale="r",
    )


def _facts(**changes):
    profile = profile_clean(data={**CONTRACT_EXAMPLE, **changes}, marker_scales=SCALES)
    return facts_build(profile, vocabulary=VOCABULARY)


def _problems(condition):
    with pytest.raises(ConditionError) as info:
        condition_compile(condition, VOCABULARY)
    return " ".join(info.value.messages)


def test_a_valid_condition_records_the_facts_it_reads():
    compiled = condition_compile('pik3ca == "mutated" or markers["MUC4"] == "high"', VOCABULARY)
    assert compiled.facts == ("pik3ca", "markers.MUC4")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('pik3ca == "mutatd"', '"mutatd" is not a value of pik3ca'),
        ('pten in ["lost", "gone"]', '"gone" is not a value of pten'),
        ('markers["MUC4"] == "positive"', '"positive" is not a value of markers.MUC4'),
        ('"aspirin" in prior_therapies', '"aspirin" is not a value of prior_therapies'),
        ('her2_status == "negative"', '"negative" is not a value of her2_status'),
        ("pik3ca == 3", "3 is not a value of pik3ca"),
        ('brain_metastases == "yes"', "brain_metastases is true or false"),
        ('her2_positive_fraction == "high"', "her2_positive_fraction is a number"),
        ('her2_positive_fraction > "high"', "data type mismatch"),
    ],
)
def test_a_literal_the_fact_does_not_accept_is_refused(condition, message):
    assert message in _problems(condition)


def test_an_unknown_name_is_refused_with_the_nearest_name():
    assert 'Unknown name "pik3ka". Did you mean "pik3ca"?' in _problems('pik3ka == "mutated"')


def test_an_unknown_marker_code_is_refused():
    assert "Unknown marker code 'MUC5'" in _problems('markers["MUC5"] == "high"')


def test_a_syntax_error_says_where():
    assert "Syntax error" in _problems('pik3ca == "mutated" and')


@pytest.mark.parametrize("operator", ["=~", "=~~", "!~", "!~~"])
def test_regular_expression_operators_are_refused(operator):
    assert "Regular-expression operators" in _problems(f'pik3ca {operator} "mut.*"')


@pytest.mark.parametrize("condition", ["1 == 1", "true", '"a" == "a"'])
def test_a_condition_that_reads_no_fact_is_refused(condition):
    assert "reads no fact" in _problems(condition)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("$now != null", "Built-in symbol"),
        ('[t for t in prior_therapies if t == "t_dm1"] != []', "Comprehension"),
        ("pik3ca.__class__ == null", "not valid"),
        ('markers[pik3ca] == "high"', "quoted catalogue code"),
    ],
)
def test_python_internals_and_other_constructs_are_out_of_reach(condition, message):
    assert message in _problems(condition)


def test_evaluate_returns_the_rule_with_the_facts_that_triggered_it():
    rules = [
        _rule("pi3k", 'pik3ca == "mutated" or pten == "lost"'),
        _rule("muc4", 'markers["MUC4"] == "low"'),
    ]
    result = evaluate(_facts(), rules, vocabulary=VOCABULARY, trace=True)
    assert [m.rule.slug for m in result.matches] == ["pi3k"]
    assert result.matches[0].matched_facts == {"pik3ca": "mutated", "pten": "retained"}
    assert [t["rule"] for t in result.trace] == ["pi3k", "muc4"]
    assert result.trace[1] == {"rule": "muc4", "fired": False, "reads": {"markers.MUC4": "high"}}


def test_an_untested_marker_is_seen_as_not_tested():
    rules = [_rule("untested", 'markers["PD-L1"] == "not_tested"')]
    assert evaluate(_facts(), rules, vocabulary=VOCABULARY).matches


def test_her2_zero_is_out_of_scope_and_gets_no_strategy():
    rules = [
        _rule("any-strategy", 'pik3ca == "mutated"'),
        _rule("flag", 'pik3ca == "mutated"', kind="resistance_flag"),
        _rule("zero-scope", 'her2_status == "zero"', kind="scope"),
    ]
    result = evaluate(_facts(her2_ihc="0"), rules, vocabulary=VOCABULARY)
    assert result.her2_status == "zero"
    assert result.in_scope is False
    assert [m.rule.slug for m in result.matches] == ["zero-scope"]


def test_suggested_tests_are_unknown_facts_whose_result_changes_the_outcome():
    rules = [
        _rule("pi3k", 'pik3ca == "mutated" or pten == "lost"'),
        _rule("pdl1", 'markers["PD-L1"] == "positive"'),
    ]
    result = evaluate(
        _facts(pik3ca="wild_type", pten="unknown", er="unknown"), rules, vocabulary=VOCABULARY
    )
    suggested = {t.fact: t for t in result.suggested_tests}
    # er is unknown too, but no rule reads it; p95HER2 is untested but no rule reads it.
    assert set(suggested) == {"pten", "markers.PD-L1"}
    assert suggested["pten"].changes == (
        {"value": "lost", "would_fire": ["pi3k"], "would_stop": []},
    )
    assert "lost: adds pi3k" in suggested["pten"].why


def test_an_unknown_fact_is_not_suggested_when_no_result_would_change_anything():
    rules = [_rule("pi3k", 'pik3ca == "mutated" or pten == "lost"')]
    result = evaluate(_facts(pik3ca="mutated", pten="unknown"), rules, vocabulary=VOCABULARY)
    assert result.suggested_tests == ()


def test_ish_is_suggested_for_ihc_2_plus_because_it_decides_her2_status():
    rules = [_rule("positive-only", 'her2_status == "positive" and pik3ca == "mutated"')]
    result = evaluate(_facts(her2_ihc="2+", her2_ish="not_done"), rules, vocabulary=VOCABULARY)
    (test,) = result.suggested_tests
    assert test.fact == "her2_ish"
    assert test.changes[0] == {
        "value": "amplified",
        "would_fire": ["positive-only"],
        "would_stop": [],
    }


def test_rule_engine_outcomes_are_memoised_by_the_values_of_the_facts_a_rule_reads():
    # The explained path (trace) runs every condition on rule-engine, through its memo.
    condition = 'pik3ca == "mutated" or pten == "lost"'
    rules = [_rule("pi3k", condition)]
    for pik3ca in ("mutated", "wild_type", "unknown"):
        for pten in ("lost", "retained", "unknown"):
            for setting in ("early", "metastatic"):
                for muc4 in ("high", "low"):
                    facts = _facts(
                        pik3ca=pik3ca, pten=pten, setting=setting, markers={"MUC4": muc4}
                    )
                    evaluate(facts, rules, vocabulary=VOCABULARY, explain=True)
    assert len(condition_compile(condition, VOCABULARY).memo) == 9


def test_a_changed_catalogue_compiles_afresh():
    condition = 'markers["MUC4"] == "high"'
    bigger = vocabulary_build(marker_scales={**SCALES, "NEW1": ("positive", "negative")})
    assert vocabulary_build(marker_scales=dict(SCALES)) is VOCABULARY
    assert condition_compile(condition, bigger) is not condition_compile(condition, VOCABULARY)


def test_the_trace_is_made_only_when_asked_for():
    rules = [_rule("pi3k", 'pik3ca == "mutated"')]
    assert evaluate(_facts(), rules, vocabulary=VOCABULARY).trace == ()


def test_a_comparison_with_a_missing_number_does_not_fire_and_is_traced():
    rules = [_rule("fraction", "her2_positive_fraction < 50")]
    result = evaluate(_facts(), rules, vocabulary=VOCABULARY, trace=True)
    assert result.matches == ()
    assert "could not evaluate" in result.trace[0]["error"]


def test_importing_the_engine_loads_no_django_module():
    # A fresh interpreter: the suite itself has Django loaded already.
    code = (
        "import sys, rules.engine; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
