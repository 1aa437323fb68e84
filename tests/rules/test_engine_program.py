"""The generated program (rules.engine.program) agrees with rule-engine on the whole safe
subset: wherever it answers, it answers as rule-engine does, and wherever rule-engine
refuses a value, it hands the condition back to rule-engine (whose errors and reports
stay the reference)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import choices
from cases.profile import profile_clean
from rules.engine import ConditionError, condition_compile, facts_build, vocabulary_build
from rules.engine.program import program_build

SCALES = {
    "MUC4": ("high", "normal", "low", "not_tested"),
    "p95HER2": ("positive", "negative", "not_tested"),
}
VOCABULARY = vocabulary_build(marker_scales=SCALES)
STRINGS = {
    "setting": choices.Setting.values,
    "er": choices.ReceptorStatus.values,
    "pik3ca": choices.Pik3ca.values,
    "her2_status": choices.Her2Status.values,
    "her2_ish": choices.Her2Ish.values,
    "trastuzumab_response": choices.TrastuzumabResponse.values,
}


def _quoted(value) -> str:
    return f'"{value}"'


string_atoms = st.sampled_from(sorted(STRINGS)).flatmap(
    lambda fact: st.one_of(
        st.builds(
            lambda op, v: f"{fact} {op} {v}",
            st.sampled_from(["==", "!=", ">", ">=", "<", "<="]),
            st.sampled_from([*map(_quoted, STRINGS[fact]), "null"]),
        ),
        st.builds(
            lambda vs: f"{fact} in [{', '.join(map(_quoted, vs))}]",
            st.lists(st.sampled_from(STRINGS[fact]), min_size=1, max_size=3),
        ),
        st.builds(
            lambda op, n: f"{fact}.length {op} {n}",
            st.sampled_from(["==", ">", "<="]),
            st.sampled_from(["0", "5", "8.0"]),
        ),
        st.just(f"{fact}.is_empty"),
        st.builds(lambda part: f'"{part}" in {fact}', st.sampled_from(["meta", "pos", "x"])),
    )
)
number_atoms = st.builds(
    lambda op, n: f"her2_positive_fraction {op} {n}",
    st.sampled_from(["==", "!=", ">", ">=", "<", "<="]),
    st.sampled_from(["0", "10", "55", "55.0", "99.5", "null"]),
)
other_atoms = st.one_of(
    st.builds(lambda v: f"brain_metastases == {v}", st.sampled_from(["true", "false", "null"])),
    st.just("brain_metastases"),
    st.builds(
        lambda t: f'"{t}" in prior_therapies', st.sampled_from([*choices.Therapy.values, "x"])
    ),
    st.builds(
        lambda op, n: f"prior_therapies.length {op} {n}",
        st.sampled_from(["==", ">", "<="]),
        st.sampled_from(["0", "1", "2.0"]),
    ),
    st.just("prior_therapies.is_empty"),
    st.just("prior_therapies == []"),
    st.builds(
        lambda code, op, v: f'markers["{code}"] {op} "{v}"',
        st.sampled_from(sorted(SCALES)),
        st.sampled_from(["==", "!="]),
        st.sampled_from(["high", "positive", "not_tested"]),
    ),
)
conditions = st.recursive(
    st.one_of(string_atoms, number_atoms, other_atoms),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=5,
)
profiles = st.fixed_dictionaries(
    {
        "setting": st.sampled_from(choices.Setting.values),
        "trastuzumab_response": st.sampled_from(choices.TrastuzumabResponse.values),
        "her2_ihc": st.sampled_from(choices.Her2Ihc.values),
        "her2_ish": st.sampled_from(choices.Her2Ish.values),
        "er": st.sampled_from(choices.ReceptorStatus.values),
        "pik3ca": st.sampled_from(choices.Pik3ca.values),
        "brain_metastases": st.booleans(),
        "prior_therapies": st.lists(st.sampled_from(choices.Therapy.values), unique=True),
        "her2_positive_fraction": st.one_of(
            st.none(), st.sampled_from([0, 10, 55, 99, 100]), st.integers(0, 100)
        ),
        "markers": st.dictionaries(
            st.sampled_from(sorted(SCALES)), st.sampled_from(["high", "positive", "negative"])
        ).map(lambda m: {k: v for k, v in m.items() if v in SCALES[k]}),
    }
)


def _reference(condition, facts) -> tuple[bool, bool]:
    """rule-engine's outcome, and whether it refused the values (raised)."""
    try:
        return bool(condition.rule.evaluate(facts)), False
    except Exception:
        return False, True


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(text=conditions, data=st.lists(profiles, min_size=1, max_size=4))
def test_the_generated_program_agrees_with_rule_engine(text, data):
    try:
        condition = condition_compile(text, VOCABULARY)
    except ConditionError:
        return  # refused conditions never run
    program = program_build([condition.rule.statement.expression])
    for raw in data:
        facts = facts_build(profile_clean(data=raw, marker_scales=SCALES), vocabulary=VOCABULARY)
        hits, retry = program(facts)
        expected, refused = _reference(condition, facts)
        if refused:
            assert retry == [0], f"{text} on {raw}: rule-engine refused, the program answered"
            continue
        if retry:
            continue  # handed back to rule-engine: its answer is used
        assert (hits == [0]) == expected, f"{text} on {raw}"


def test_every_condition_of_the_knowledge_base_runs_in_the_program(db):
    from rules.knowledge_base import knowledge_base_published
    from tests.factories import CONTRACT_EXAMPLE

    kb = knowledge_base_published()
    program = program_build([c.rule.statement.expression for c in kb.ruleset.conditions])
    assert "retry.append" not in program.source.replace("        retry.append", "")
    profile = profile_clean(data=CONTRACT_EXAMPLE, marker_scales=kb.marker_scales)
    hits, retry = program(facts_build(profile, vocabulary=kb.vocabulary))
    assert retry == [] and hits  # nothing falls back on an ordinary profile


@pytest.mark.parametrize(
    "text",
    [
        'setting == "metastatic"',
        'markers["MUC4"] == "high" and not brain_metastases',
        'setting in ["early", "metastatic"] or her2_positive_fraction > 55',
    ],
)
def test_the_program_holds_no_curator_text(text):
    condition = condition_compile(text, VOCABULARY)
    source = program_build([condition.rule.statement.expression]).source
    body = source.split("\n", 3)[3]
    words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", body))
    assert words <= {"try", "if", "except", "Exception", "hits", "retry", "append", "return",
                     "f", "and", "or", "not", "None", "len", "_eq", "_in"} | {
        w for w in words if re.fullmatch(r"c\d+", w)}  # fmt: skip
    assert '"' not in body and "'" not in body


ATOMS = [
    *(f"setting {op} {v}" for op in ("==", "!=", ">", ">=", "<", "<=")
      for v in ('"metastatic"', '"early"', "null")),
    *(f"her2_positive_fraction {op} {n}" for op in ("==", "!=", ">", ">=", "<", "<=")
      for n in ("55", "55.0", "54.5", "null")),
    'setting in ["early", "metastatic"]', '"meta" in setting', "setting.length >= 5",
    "brain_metastases == true", "not brain_metastases", '"trastuzumab" in prior_therapies',
    "prior_therapies.length >= 1", "prior_therapies.is_empty", 'markers["MUC4"] != "high"',
]  # fmt: skip
VALUES = [
    {"setting": s, "her2_positive_fraction": n, "brain_metastases": b, "prior_therapies": p,
     "markers": m}
    for s in ("metastatic", "early") for n in (None, 54, 55, 56) for b in (True, False)
    for p in ([], ["trastuzumab"]) for m in ({}, {"MUC4": "high"})
]  # fmt: skip


def _accepted(text: str) -> bool:
    try:
        condition_compile(text, VOCABULARY)
    except ConditionError:
        return False
    return True


# Atoms the checks refuse (comparing a choice with `null`, say) never reach the program.
ACCEPTED = [text for text in ATOMS if _accepted(text)]


def test_the_checks_refuse_only_some_atoms():
    assert 0 < len(ATOMS) - len(ACCEPTED) < len(ATOMS) // 2


@pytest.mark.parametrize("text", ACCEPTED)
def test_each_atom_agrees_with_rule_engine_on_boundary_values(text):
    condition = condition_compile(text, VOCABULARY)
    program = program_build([condition.rule.statement.expression])
    base = {"trastuzumab_response": "naive", "her2_ihc": "3+"}
    for values in VALUES:
        facts = facts_build(
            profile_clean(data={**base, **values}, marker_scales=SCALES), vocabulary=VOCABULARY
        )
        hits, retry = program(facts)
        expected, refused = _reference(condition, facts)
        assert retry == [0] if refused else (hits == [0]) == expected, (text, values)
