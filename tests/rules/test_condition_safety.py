"""No curator's condition can break evaluation (issue #13; security review H1, M6, M7, L5):
each is refused on save and import with a message, or skipped and reported at evaluation;
never a 500."""

import math

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from rules import engine
from rules.curation import _check_condition
from rules.knowledge_base import knowledge_base_published
from rules.models import Rule
from tests.factories import CONTRACT_EXAMPLE, release_publish_now, token_client

pytestmark = pytest.mark.django_db

LONG_OR = " or ".join(['setting == "metastatic"'] * 480)
SHORT_WIDE_OR = " or ".join(['er == "positive"'] * 100)
DEEP_NOT = "not " * 450 + 'er == "positive"'
VERY_DEEP_NOT = "not " * 900 + 'er == "positive"'


def _payload(condition: str, slug: str = "red-team", status: str = "draft") -> dict:
    rule = Rule.objects.get(slug="met-overexpression")
    return {
        "slug": slug,
        "title": "A red-team rule",
        "kind": rule.kind,
        "status": status,
        "mechanism": rule.mechanism.slug,
        "strategy": None,
        "evidence_level": rule.evidence_level,
        "condition": condition,
        "rationale": rule.rationale,
        "provenance": rule.provenance,
        "citations": rule.citations,
        "examples": [
            {"profile": {"prior_therapies": ["trastuzumab", "pertuzumab", "t_dm1"]}, "fires": True},
            {"profile": {}, "fires": False},
        ],
        "change_reason": "A red-team rule.",
    }


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("setting.length > nan", "nan and inf"),
        ("her2_positive_fraction > inf", "nan and inf"),
        (LONG_OR, "at most 2,000"),
        (SHORT_WIDE_OR, "at most 200"),
        (DEEP_NOT, "deep"),
        (VERY_DEEP_NOT, "at most 2,000"),
    ],
)
def test_a_red_team_condition_is_refused_on_save_with_a_message(curator, condition, message):
    response = token_client(curator).post("/api/v1/rules/", _payload(condition), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["condition"])
    assert not Rule.objects.filter(slug="red-team").exists()


def test_a_rule_file_with_one_unsafe_rule_stores_nothing(tmp_path):
    from rules.curation import knowledge_base_export

    data = knowledge_base_export()
    first = next(r for r in data["rules"] if r["kind"] == "strategy")
    good = dict(first, slug="imported-good", title="Imported, good")
    bad = dict(good, slug="imported-deep", title="Imported, deep", condition=LONG_OR)
    path = tmp_path / "kb.yaml"
    path.write_text(yaml.safe_dump({**data, "rules": [good, bad]}))
    with pytest.raises(CommandError) as info:
        call_command("import_knowledge_base", str(path))
    assert "imported-deep" in str(info.value) and "at most 2,000" in str(info.value)
    assert not Rule.objects.filter(slug__startswith="imported-").exists()


def test_length_and_is_empty_rules_are_described_and_every_page_answers(client, curator, trainee):
    api = token_client(curator)
    payload = _payload("prior_therapies.length >= 3", slug="three-lines", status="published")
    assert api.post("/api/v1/rules/", payload, format="json").status_code == 201
    release_publish_now()
    client.force_login(trainee)
    page = client.get("/knowledge/")
    assert page.status_code == 200
    assert "the number of prior therapies is at least 3" in page.content.decode()
    assert client.get("/knowledge/", {"q": "three"}).status_code == 200


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("prior_therapies.length >= 3", "the number of prior therapies is at least 3"),
        ("prior_therapies.is_empty", "prior therapies is empty"),
        ('not not (er == "positive")', "not (not (ER is positive))"),
        ('pik3ca in ["mutated", "unknown"]', "PIK3CA is mutated or unknown"),
        ('"t_dm1" in prior_therapies', "prior therapies include Trastuzumab emtansine (T-DM1)"),
    ],
)
def test_every_node_the_safe_subset_allows_has_plain_words(condition, words):
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    assert engine.condition_words(condition, vocabulary) == words


def test_a_marker_code_used_as_a_name_points_to_markers():
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    with pytest.raises(engine.ConditionError) as info:
        engine.condition_compile('p95HER2 == "positive"', vocabulary)
    assert 'markers["p95HER2"]' in str(info.value)


def test_a_wrong_literal_lists_the_values_the_fact_accepts():
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    with pytest.raises(engine.ConditionError) as info:
        engine.condition_compile('setting == "adjuvant"', vocabulary)
    assert '"early"' in str(info.value) and '"metastatic"' in str(info.value)


def test_compiled_conditions_are_kept_in_a_bounded_cache():
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    for n in range(700):
        engine.condition_compile(f"her2_positive_fraction > {n}", vocabulary)
    assert len(vocabulary.compiled) <= 512


class _Raising:
    """Stands in for a compiled rule-engine rule that fails in a way no check foresaw."""

    def evaluate(self, facts):
        raise ZeroDivisionError


def test_a_rule_that_raises_at_evaluation_is_skipped_and_reported(trainee, caplog):
    kb = knowledge_base_published()
    index = [r.slug for r in kb.ruleset.rules].index("pi3k-inhibitor-with-trastuzumab")
    condition = kb.ruleset.conditions[index]
    saved = condition.rule
    condition.rule = _Raising()
    condition.memo.clear()
    kb.ruleset.__dict__.pop("_generated", None)  # rebuilt: this rule now runs on _Raising
    try:
        response = token_client(trainee).post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json")
    finally:
        condition.rule = saved
        condition.memo.clear()
        condition.raised.clear()
        condition.errors.clear()
        kb.ruleset.__dict__.pop("_generated", None)
    assert response.status_code == 200
    body = response.json()
    assert body["skipped_rules"] == ["pi3k-inhibitor-with-trastuzumab"]
    assert "pi3k-inhibitor-with-trastuzumab" not in [r["rule"] for r in body["recommendations"]]
    assert body["recommendations"]  # the other rules still answer
    assert "raised ZeroDivisionError" in caplog.text


def test_an_ordinary_evaluation_has_no_skipped_rules(trainee):
    body = token_client(trainee).post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json").json()
    assert "skipped_rules" not in body


def _released_condition_set(slug: str, condition: str) -> None:
    """As if a release held a rule that no longer compiles (a marker left the catalogue)."""
    from rules.knowledge_base import knowledge_base_cache_clear
    from rules.models import Release

    release = Release.objects.order_by("-id").first()
    for rule in release.knowledge_base["rules"]:
        if rule["slug"] == slug:
            rule["condition"] = condition
    release.save()
    knowledge_base_cache_clear()


def test_a_stored_condition_that_no_longer_compiles_leaves_every_page_answering(client, trainee):
    _released_condition_set("met-overexpression", LONG_OR)
    client.force_login(trainee)
    assert client.get("/knowledge/").status_code == 200
    response = token_client(trainee).post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json")
    assert response.status_code == 200


def test_curators_see_published_rules_that_users_are_not_getting(client, curator):
    _released_condition_set("met-overexpression", LONG_OR)
    client.force_login(curator)
    page = client.get("/admin/rules/rule/")
    assert page.status_code == 200
    assert "met-overexpression no longer compiles" in page.content.decode()


def test_nan_in_a_number_fact_reads_as_not_given():
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    profile = profile_clean(data=CONTRACT_EXAMPLE, marker_scales=marker_scales_get())
    facts = engine.facts_build(
        {**profile, "her2_positive_fraction": math.nan}, vocabulary=vocabulary
    )
    assert facts["her2_positive_fraction"] is None


# Conditions over the safe subset, good and bad: every one is either refused with messages
# or, once accepted, evaluates on any valid profile without raising or being skipped.
FACTS = ["setting", "er", "pik3ca", "her2_status", "her2_positive_fraction", "brain_metastases"]
LITERALS = ['"metastatic"', '"positive"', '"mutated"', "null", "true", "10", "nan", "inf", "0"]
atoms = st.one_of(
    st.builds(
        lambda f, op, lit: f"{f} {op} {lit}",
        st.sampled_from(FACTS),
        st.sampled_from(["==", "!=", ">", ">=", "<"]),
        st.sampled_from(LITERALS),
    ),
    st.builds(
        lambda t: f'"{t}" in prior_therapies', st.sampled_from(["t_dm1", "trastuzumab", "x"])
    ),
    st.builds(
        lambda op, n: f"prior_therapies.length {op} {n}",
        st.sampled_from([">", "==", "<="]),
        st.sampled_from(["0", "2", "nan", '"a"']),
    ),
    st.just("prior_therapies.is_empty"),
    st.just('markers["MUC4"] == "high"'),
    st.just("setting.length > 3"),
)
conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=conditions)
def test_any_condition_is_refused_or_safe_everywhere(condition):
    marker_scales = marker_scales_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    rule = Rule(condition=condition, kind="strategy")
    problems = _check_condition(rule, vocabulary)
    if problems:
        assert all(isinstance(p, str) and p for p in problems)
        return
    compiled = engine.condition_compile(condition, vocabulary)
    plain = engine.PlainRule(
        slug="generated",
        title="t",
        condition=condition,
        kind="strategy",
        mechanism="m",
        strategy=None,
        evidence_level="preclinical_in_vitro",
        rationale="",
    )
    for data in (CONTRACT_EXAMPLE, {**CONTRACT_EXAMPLE, "her2_positive_fraction": 55}):
        profile = profile_clean(data=data, marker_scales=marker_scales)
        facts = engine.facts_build(profile, vocabulary=vocabulary)
        result = engine.evaluate(facts, [plain], vocabulary=vocabulary)
        assert result.skipped == ()
    assert compiled.raised == {}
    assert engine.condition_words(condition, vocabulary)
