"""The knowledge base through POST /api/v1/evaluate/: every rule fires in the population its
evidence is about and stays silent outside it (and, in curative-intent settings, research
strategies are research leads); strongest evidence comes first; caveats travel with
citations; suggested tests are few and standard."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from rules.choices import EvidenceLevel
from rules.curation import example_profile
from rules.evaluation import profile_evaluate
from rules.knowledge_base_file import knowledge_base_read
from rules.models import Rule
from tests.factories import contract_example, profiles, token_client

pytestmark = pytest.mark.django_db

KB = knowledge_base_read()
RESISTANT = {"primary_resistance", "acquired_resistance"}
RESEARCH_LEVELS = {"preclinical_in_vivo", "preclinical_in_vitro", "preclinical", "review_statement"}
EXAMPLES = [
    pytest.param(rule["slug"], example, id=f"{rule['slug']}-{number}")
    for rule in KB["rules"]
    if rule["status"] == "published" and rule["kind"] != "background"
    for number, example in enumerate(rule["examples"], start=1)
]


@pytest.fixture
def api(trainee):
    return token_client(trainee)


def _evaluate(api, **changes) -> dict:
    response = api.post("/api/v1/evaluate/", contract_example(**changes), format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _fired(payload: dict) -> list[str]:
    return [r["rule"] for r in payload["recommendations"] + payload["research_leads"]]


@pytest.mark.parametrize(("slug", "example"), EXAMPLES)
def test_each_rule_fires_in_its_population_and_is_silent_outside_it(api, slug, example):
    response = api.post("/api/v1/evaluate/", example_profile(example), format="json")
    assert response.status_code == 200
    payload = response.json()
    assert (slug in _fired(payload)) is example["fires"], example.get("note")
    if "listed" in example:
        assert slug in [r["rule"] for r in payload[example["listed"]]], example.get("note")


def test_every_gated_rule_has_an_example_inside_and_outside_its_population():
    for rule in KB["rules"]:
        if rule["status"] == "published" and rule["kind"] != "background":
            assert {e["fires"] for e in rule["examples"]} == {True, False}, rule["slug"]


def test_alpelisib_is_not_suggested_before_neoadjuvant_trastuzumab(api):
    naive = _evaluate(api, setting="neoadjuvant", trastuzumab_response="naive",
                      prior_therapies=[], pik3ca="mutated")  # fmt: skip
    assert "pi3k-inhibitor-with-trastuzumab" not in _fired(naive)
    resistant = _evaluate(api, pik3ca="mutated")
    assert "pi3k-inhibitor-with-trastuzumab" in _fired(resistant)


def test_a_responding_adjuvant_patient_gets_no_research_strategy(api):
    payload = _evaluate(
        api,
        setting="early",
        trastuzumab_response="responding",
        prior_therapies=["trastuzumab", "lapatinib", "radiotherapy"],
        markers={"CD55": "high", "HSP90": "high", "PD-L1": "positive", "p95HER2": "positive"},
    )
    strategies = [r for r in payload["recommendations"] if r["kind"] == "strategy"]
    assert strategies == []
    assert "p95her2-resistance" not in _fired(payload)  # FinHer: more benefit, not resistance


def test_p95her2_in_metastatic_disease_is_worded_as_the_sources_finding_with_its_caveat(api):
    payload = _evaluate(api, markers={"p95HER2": "positive"})
    (note,) = [r for r in payload["recommendations"] if r["rule"] == "p95her2-resistance"]
    assert note["kind"] == "predictive_note"
    assert "more benefit" in note["title"]
    (sperinde,) = note["citations"]
    assert any("FinHer" in caveat for caveat in sperinde["caveats"])


def test_t_dxd_in_her2_low_disease_needs_prior_chemotherapy(api):
    untreated = _evaluate(api, her2_ihc="1+", prior_therapies=[], trastuzumab_response="naive")
    treated = _evaluate(api, her2_ihc="1+", prior_therapies=["chemotherapy"],
                        trastuzumab_response="naive", er="negative")  # fmt: skip
    assert "t-dxd-her2-low" not in _fired(untreated)
    assert "t-dxd-her2-low" in _fired(treated)


def test_t_dxd_in_hr_positive_her2_low_disease_needs_endocrine_therapy_as_in_its_trial(api):
    without = _evaluate(api, her2_ihc="1+", prior_therapies=["chemotherapy"],
                        trastuzumab_response="naive", er="positive")  # fmt: skip
    after = _evaluate(api, her2_ihc="1+", prior_therapies=["chemotherapy", "endocrine"],
                      trastuzumab_response="naive", er="positive")  # fmt: skip
    assert "t-dxd-her2-low" not in _fired(without)
    assert "t-dxd-her2-low" in _fired(after)


def test_t_dxd_is_not_suggested_again_after_t_dxd_and_cites_only_the_her2_positive_source(api):
    before = _evaluate(api)
    (t_dxd,) = [r for r in before["recommendations"] if r["rule"].startswith("t-dxd-her2-pos")]
    assert [c["key"] for c in t_dxd["citations"]] == ["Lee2022"]
    after = _evaluate(api, prior_therapies=["trastuzumab", "t_dxd"])
    assert "t-dxd-her2-positive-after-resistance" not in _fired(after)
    assert "t-dxd-resistance-mechanisms" in _fired(after)


def test_endocrine_equivalence_is_a_first_line_claim_and_cross_talk_a_resistance_one(api):
    first_line = _evaluate(api, trastuzumab_response="naive", prior_therapies=[], er="positive")
    later = _evaluate(api, er="positive")
    assert "endocrine-plus-anti-her2-line-not-stated" in _fired(first_line)
    assert not {"endocrine-plus-anti-her2", "endocrine-plus-anti-her2-line-not-stated"} & set(
        _fired(later)
    )
    assert "endocrine-cross-talk-resistance" in _fired(later)
    assert "endocrine-cross-talk-resistance" not in _fired(first_line)


def test_lapatinib_with_ganetespib_needs_resistance_not_just_prior_lapatinib(api):
    responding = _evaluate(api, trastuzumab_response="responding",
                           prior_therapies=["trastuzumab", "lapatinib"])  # fmt: skip
    resistant = _evaluate(api, prior_therapies=["trastuzumab", "lapatinib"])
    assert "lapatinib-ganetespib" not in _fired(responding)
    assert "lapatinib-ganetespib" in _fired(resistant)


def test_radiotherapy_given_before_triggers_nothing(api):
    payload = _evaluate(api, setting="early", trastuzumab_response="responding",
                        prior_therapies=["trastuzumab", "radiotherapy"])  # fmt: skip
    assert "trastuzumab-with-radiotherapy" not in _fired(payload)
    assert Rule.objects.get(slug="trastuzumab-with-radiotherapy").kind == "background"


def test_a_rule_whose_only_source_is_retracted_is_not_published(api):
    assert Rule.objects.get(slug="agap2-as1-stemness").status == "not_encoded"
    payload = _evaluate(api, markers={"AGAP2_AS1": "high"})
    assert "agap2-as1-stemness" not in _fired(payload)
    tested = [t["fact"] for t in payload["suggested_tests"] + payload["research_assays"]]
    assert "AGAP2_AS1" not in tested


def test_cerulenin_follows_fasn_and_mal2_is_a_finding_not_a_treatment(api):
    mal2 = _evaluate(api, markers={"MAL2": "high"})
    assert "mal2-her2-retention" in _fired(mal2)
    assert not [
        r for r in mal2["recommendations"] if r["strategy"] and "cerulenin" in r["strategy"]
    ]
    fasn = _evaluate(api, markers={"FASN": "high"})
    assert "fasn-cerulenin" in _fired(fasn)


def test_danacliclib_is_shown_as_printed_and_not_as_a_drug(api):
    (cdk12,) = [
        r for r in _evaluate(api, markers={"CDK12": "high"})["recommendations"]
        if r["rule"] == "cdk12-high-blockade"
    ]  # fmt: skip
    assert cdk12["evidence_level"] == "review_statement"
    assert cdk12["agents"] == ["'danacliclib' (as printed in the review; not an identifiable drug)"]


def test_recommendations_come_strongest_evidence_first_then_in_the_reviews_order(api):
    payload = _evaluate(api, markers={"MUC4": "high", "CDK12": "high", "VM": "positive"},
                        her2_heterogeneity="high")  # fmt: skip
    rank = {level: n for n, level in enumerate(EvidenceLevel.values)}
    levels = [rank[r["evidence_level"]] for r in payload["recommendations"]]
    assert levels == sorted(levels)
    assert payload["recommendations"][0]["evidence_level"] == "approved_indication"


def test_every_citation_carries_its_caveats_as_a_list(api):
    payload = _evaluate(api, markers={"IL6_STAT3": "high", "IGF1R": "high"})
    citations = [c for r in payload["recommendations"] for c in r["citations"]]
    assert citations and all(isinstance(c["caveats"], list) for c in citations)
    caveats = {c["key"]: c["caveats"] for c in citations}
    assert caveats["Sakai2023"][0].startswith("Content mismatch")
    assert caveats["Yan2022"][0].startswith("Content mismatch")
    assert "trastuzumab was not tested" in caveats["Marotta2011"][0]


def test_suggested_tests_are_few_standard_and_ranked_research_assays_apart(api):
    payload = _evaluate(api, markers={}, er="unknown", pr="unknown", pik3ca="unknown",
                        pten="unknown")  # fmt: skip
    tests = payload["suggested_tests"]
    assert 0 < len(tests) <= 5
    assert {t["fact"] for t in tests} <= {"er", "pr", "her2_ish", "pik3ca", "pten"}
    for test in tests:
        assert test["adds"] or test["removes"]
    assert payload["research_assays"]
    research = {"VM", "p95HER2", "CCL5", "P27", "EGFR", "SERUM_HER2_ECD"}
    for assay in payload["research_assays"]:
        assert assay["note"] == "Research assay: not clinically validated."
    assert research & {a["fact"] for a in payload["research_assays"]}
    assert not research & {t["fact"] for t in tests}


def test_an_unknown_receptor_or_pathway_gene_that_changes_an_item_is_always_offered(api):
    # Only research items depend on PIK3CA and PTEN here; they are offered all the same.
    payload = _evaluate(api, pik3ca="unknown", pten="unknown", er="unknown")
    offered = {t["fact"] for t in payload["suggested_tests"] + payload["research_assays"]}
    assert {"pik3ca", "pten", "er"} <= offered


@pytest.mark.parametrize(("ihc", "suggested"), [("0", False), ("1+", False), ("2+", True)])
def test_her2_ish_is_suggested_for_ihc_2_plus_only(api, ihc, suggested):
    payload = _evaluate(api, her2_ihc=ihc, her2_ish="not_done", trastuzumab_response="naive",
                        prior_therapies=["chemotherapy"])  # fmt: skip
    assert ("her2_ish" in [t["fact"] for t in payload["suggested_tests"]]) is suggested


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_no_research_level_strategy_fires_without_trastuzumab_resistance(data):
    scales = marker_scales_get()
    drawn = data.draw(profiles(scales))
    drawn["trastuzumab_response"] = data.draw(st.sampled_from(["naive", "responding"]))
    payload = profile_evaluate(profile=profile_clean(data=drawn, marker_scales=scales))
    research = [
        r["rule"] for r in payload["recommendations"] + payload["research_leads"]
        if r["kind"] == "strategy" and r["evidence_level"] in RESEARCH_LEVELS
    ]  # fmt: skip
    assert research == []


def test_existing_databases_got_the_revision_with_history(curator):
    rule = Rule.objects.get(slug="pi3k-inhibitor-with-trastuzumab")
    v2, v3 = rule.history.all()[1], rule.history.first()
    assert v2.history_change_reason.startswith("Knowledge base v2")
    assert v3.history_change_reason.startswith("Knowledge base v3") and v3.provenance
    assert v2.condition == rule.condition and "resistance" in rule.condition
    assert rule.history.count() == 3  # loaded from the review, then revised twice
    new = Rule.objects.get(slug="t-dm1-metastatic-after-trastuzumab")
    assert new.history.last().history_type == "+"
