"""The FHIR reader: real examples verbatim, each wrong reading of the review fixed, codes
not prose, and POST /api/v1/fhir/profile/."""

import json
from pathlib import Path

import pytest

from board.fhir.reading import MixedPatients, fhir_profile_read
from tests.board.fhir_resources import (
    LOINC,
    SNOMED,
    bundle,
    coding,
    disease_status,
    ihc,
    m_category,
    medication,
    medication_request,
    observation,
    variant,
)
from tests.factories import token_client

# Verbatim copies of ../shared/fhir-examples (tests/test_shared_copies.py keeps them equal).
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "shared" / "fhir-examples"
# What each shared example holds, read from codes (shared/fhir-examples/README.md).
EXPECTED = {
    "mcode_er_jenny.json": {"er": "positive"},  # LOINC LA6576-8
    "mcode_pr_jenny.json": {"pr": "negative"},  # LOINC LA6577-6
    "mcode_her2_jenny.json": {},  # 48676-1 interpretation: not an IHC score
    "omop_er.json": {"er": "negative"},  # SNOMED 260385009
    "omop_pr.json": {"pr": "positive"},  # SNOMED 10828004
    "omop_her2_ihc.json": {},  # "Positive" without a score
    "omop_her2_fish.json": {},  # valueString "greater than 1.8": not an exact phrase
    "gr_pik3ca_variant.json": {},  # present, but no clinical significance: unknown
    "gr_observation_snvexample.json": {},  # an AR variant, no subject
    "gr_bundle_oncologyexamples_r4.json": {},  # other genes; patients and practitioners
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_shared_example_is_read_as_its_codes_say(name):
    reading = fhir_profile_read(json.loads((EXAMPLES / name).read_text()))
    assert reading.profile == EXPECTED[name]
    if not EXPECTED[name]:
        assert reading.ignored  # and it says why


def test_the_example_bundle_reports_every_resource_it_did_not_use():
    reading = fhir_profile_read(
        json.loads((EXAMPLES / "gr_bundle_oncologyexamples_r4.json").read_text())
    )
    assert len(reading.ignored) == 15
    assert {"resource", "why"} <= set(reading.ignored[0])


def test_the_her2_interpretation_is_reported_not_taken_for_a_score():
    reading = fhir_profile_read(json.loads((EXAMPLES / "mcode_her2_jenny.json").read_text()))
    assert "her2_ihc" not in reading.profile and "her2_ish" not in reading.profile
    assert any("interpretation read as negative" in n for n in reading.notes)


@pytest.mark.parametrize(
    "text", ["Non-amplified", "Unamplified", "not amplified", "No amplification detected"]
)
def test_non_amplified_ish_is_not_amplified(text):
    reading = fhir_profile_read(
        bundle(ihc("LA11841-6", id="ihc"), observation("85318-4", {"text": text}, id="ish"))
    )
    assert reading.profile == {"her2_ihc": "1+", "her2_ish": "not_amplified"}


@pytest.mark.parametrize(
    ("value", "fact"),
    [
        ({"text": "not present"}, "pik3ca"),
        ({"text": "not positive"}, "er"),
        ({"text": "2+ (previous 3+)"}, "her2_ihc"),
        ({"text": "Score 2+ (previous biopsy 3+)"}, "her2_ihc"),
    ],
)
def test_negations_and_qualified_text_are_left_unread_not_guessed(value, fact):
    loinc = {"pik3ca": "69548-6", "er": "85337-4", "her2_ihc": "85319-2"}[fact]
    reading = fhir_profile_read(observation(loinc, value))
    assert fact not in reading.profile


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled", "preliminary", "registered"])
def test_only_final_amended_or_corrected_results_count(status):
    reading = fhir_profile_read(
        bundle(
            ihc("LA11841-6", id="final", date="2020-01-01"),
            ihc("LA11843-2", id="wrong", status=status, date="2024-01-01"),
        )
    )
    assert reading.profile["her2_ihc"] == "1+"
    assert any(i["resource"] == "Observation/wrong" and status in i["why"] for i in reading.ignored)


@pytest.mark.parametrize("status", ["amended", "corrected"])
def test_amended_and_corrected_results_count(status):
    assert fhir_profile_read(ihc("LA11843-2", status=status)).profile == {"her2_ihc": "3+"}


def test_the_newest_result_wins_whatever_the_order():
    newest_first = bundle(
        ihc("LA11843-2", id="new", date="2024-03-01"), ihc("LA6111-4", id="old", date="2019-03-01")
    )
    reading = fhir_profile_read(newest_first)
    assert reading.profile == {"her2_ihc": "3+"}
    assert reading.sources["her2_ihc"] == ["Observation/new"]


def test_an_unreadable_newest_result_is_not_replaced_by_an_older_one():
    reading = fhir_profile_read(
        bundle(
            observation("85319-2", {"text": "2+ (previous 3+)"}, id="new", date="2024-03-01"),
            ihc("LA11841-6", id="old", date="2019-03-01"),
        )
    )
    assert "her2_ihc" not in reading.profile


def test_observations_about_another_patient_are_ignored():
    reading = fhir_profile_read(
        bundle(ihc("LA11843-2", id="mine"), ihc("LA6111-4", id="theirs", subject="Patient/p2")),
        patient="Patient/p1",
    )
    assert reading.profile == {"her2_ihc": "3+"}
    assert {
        "resource": "Observation/theirs",
        "why": "about another patient than the one asked for",
    } in reading.ignored


def test_a_bundle_mixing_patients_without_a_patient_is_refused():
    with pytest.raises(MixedPatients):
        fhir_profile_read(
            bundle(ihc("LA11843-2", id="a"), ihc("LA6111-4", id="b", subject="Patient/p2"))
        )


@pytest.mark.parametrize(
    ("significance", "expected"),
    [
        ("LA6668-3", "mutated"),
        ("LA6669-1", "mutated"),
        ("LA6675-8", None),
        ("LA6674-1", None),
        ("LA6682-4", None),
        (None, None),
    ],
)
def test_a_pik3ca_variant_counts_only_when_pathogenic(significance, expected):
    reading = fhir_profile_read(variant(significance=significance))
    assert reading.profile.get("pik3ca") == expected


def test_an_absent_pik3ca_assessment_is_wild_type_and_other_genes_are_skipped():
    assert fhir_profile_read(variant(presence="LA9634-2")).profile == {"pik3ca": "wild_type"}
    reading = fhir_profile_read(variant(gene="HGNC:644", significance="LA6668-3"))
    assert reading.profile == {} and "another gene" in reading.ignored[0]["why"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (coding(SNOMED, "10828004"), "positive"),
        (coding(SNOMED, "260385009"), "negative"),
        (coding(SNOMED, "260373001"), "positive"),
        (coding(SNOMED, "260415000"), "negative"),
        (coding(LOINC, "LA6576-8"), "positive"),
        (coding(SNOMED, "42425007"), None),  # equivocal
    ],
)
def test_receptor_results_are_read_from_snomed_and_loinc_codes(value, expected):
    assert fhir_profile_read(observation("85337-4", value)).profile.get("er") == expected


def test_interpretation_codes_read_a_receptor_without_a_value_and_conflicts_are_refused():
    interpretation = [
        coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "POS")
    ]
    alone = observation("85339-0", interpretation=interpretation)
    assert fhir_profile_read(alone).profile == {"pr": "positive"}
    conflict = observation("85339-0", coding(SNOMED, "260385009"), interpretation=interpretation)
    assert fhir_profile_read(conflict).profile == {}


@pytest.mark.parametrize(
    ("code", "score"),
    [
        ("LA6111-4", "0"),
        ("LA11841-6", "1+"),
        ("LA11842-4", "2+"),
        ("LA11843-2", "3+"),
        ("LA11884-6", None),
    ],
)
def test_ihc_scores_are_read_from_the_loinc_answer_list(code, score):
    # LOINC LL4396-9 (HL7 Breast Cancer Data IG, oncology-HER2byIHCScoreVS).
    assert fhir_profile_read(ihc(code)).profile.get("her2_ihc") == score


@pytest.mark.parametrize(
    ("ratio", "copies", "expected"),
    [
        (2.4, 5.1, "amplified"),
        (1.3, 2.2, "not_amplified"),
        (2.2, 3.1, None),
        (1.5, 6.5, None),
        (1.5, 4.5, None),
    ],
)
def test_ish_ratios_and_copy_numbers_follow_the_asco_cap_groups(ratio, copies, expected):
    quantity = lambda value: {"value": value, "unit": "ratio"}  # noqa: E731
    reading = fhir_profile_read(
        bundle(
            observation("49683-6", id="r", valueQuantity=quantity(ratio)),
            observation("74860-8", id="c", valueQuantity=quantity(copies)),
        )
    )
    assert reading.profile.get("her2_ish") == expected


def test_setting_comes_from_an_m1_category_or_a_metastatic_condition():
    assert fhir_profile_read(m_category("1229903009")).profile == {"setting": "metastatic"}
    assert fhir_profile_read(m_category("1229901006")).profile == {}  # cM0 says no setting
    condition = {
        "resourceType": "Condition",
        "id": "met",
        "meta": {
            "profile": [
                "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
            ]
        },
        "clinicalStatus": coding(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
        ),
        "code": coding(SNOMED, "94222008"),
        "subject": {"reference": "Patient/p1"},
    }
    assert fhir_profile_read(condition).profile == {"setting": "metastatic"}


def test_residual_disease_comes_from_a_post_neoadjuvant_pathological_category():
    ypt = observation("21899-0", coding("http://cancerstaging.org", "ypT1"))
    assert fhir_profile_read(ypt).profile == {"setting": "residual_disease"}
    complete = observation("21899-0", coding("http://cancerstaging.org", "ypT0"))
    assert fhir_profile_read(complete).profile == {}


def test_prior_therapies_come_from_verified_rxnorm_ingredients_only():
    reading = fhir_profile_read(
        bundle(
            medication("224905", id="t"), medication("56946", id="p"), medication("999999", id="x")
        )
    )
    assert reading.profile["prior_therapies"] == ["chemotherapy", "trastuzumab"]
    assert any(i["resource"] == "MedicationStatement/x" for i in reading.ignored)


@pytest.mark.parametrize(
    ("rxcui", "therapy"),
    # Ingredients, then brand and clinical-drug codes (board/fhir/codes.py names the source
    # of each; shared/references/fhir-codes-research.md has them in full).
    [("1371041", "t_dm1"), ("480167", "lapatinib"), ("2267582", "t_dxd"), ("2267574", "t_dxd"),
     ("2361285", "tucatinib"), ("194000", "chemotherapy"), ("101306", "trastuzumab"),
     ("1298949", "pertuzumab"), ("1371046", "t_dm1"), ("2267577", "t_dxd"),
     ("659616", "lapatinib"), ("2361291", "tucatinib"), ("583214", "chemotherapy")],
)  # fmt: skip
def test_her2_agents_are_read_from_their_rxnorm_codes(rxcui, therapy):
    assert fhir_profile_read(medication(rxcui)).profile["prior_therapies"] == [therapy]


def test_a_strength_code_is_not_read_as_its_ingredient():
    # 2361286 is "Tucatinib 150 MG", a strength-level concept: not in the crosswalk.
    reading = fhir_profile_read(medication("2361286", id="agent"))
    assert "prior_therapies" not in reading.profile
    assert reading.ignored == [
        {"resource": "MedicationStatement/agent", "why": "no RxNorm code the reader knows"}
    ]


@pytest.mark.parametrize("rxcui", ["1940643", "1940649"])
def test_neratinib_is_reported_as_outside_the_contract_not_as_an_unknown_code(rxcui):
    reading = fhir_profile_read(medication(rxcui, id="agent"))
    assert "prior_therapies" not in reading.profile
    assert reading.ignored == [
        {
            "resource": "MedicationStatement/agent",
            "why": "neratinib: not among the contract's prior therapies",
        }
    ]


@pytest.mark.parametrize(("adc", "therapy"), [("1371041", "t_dm1"), ("2267582", "t_dxd")])
def test_an_antibody_drug_conjugate_is_never_rolled_up_to_trastuzumab(adc, therapy):
    # RxNorm files T-DM1 and T-DXd under trastuzumab; a sender may code both.
    both = medication(adc)
    both["medicationCodeableConcept"]["coding"].append(
        {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "224905"}
    )
    assert fhir_profile_read(both).profile["prior_therapies"] == [therapy]


def _by_reference(reference):
    statement = medication("224905", id="s")
    del statement["medicationCodeableConcept"]
    statement["medicationReference"] = {"reference": reference}
    return statement


def test_a_medication_reference_is_read_from_a_contained_medication_or_the_bundle():
    rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    herceptin = {"resourceType": "Medication", "id": "med", "code": coding(rxnorm, "101306")}
    contained = _by_reference("#med")
    contained["contained"] = [herceptin]
    assert fhir_profile_read(contained).profile["prior_therapies"] == ["trastuzumab"]
    in_bundle = bundle(_by_reference("Medication/med"), herceptin)
    assert fhir_profile_read(in_bundle).profile["prior_therapies"] == ["trastuzumab"]
    by_full_url = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:1b2c", "resource": herceptin},
        {"resource": _by_reference("urn:uuid:1b2c")},
    ]}  # fmt: skip
    assert fhir_profile_read(by_full_url).profile["prior_therapies"] == ["trastuzumab"]
    missing = fhir_profile_read(_by_reference("Medication/nowhere"))
    assert "prior_therapies" not in missing.profile


def test_synthea_shaped_brand_orders_are_read():
    # Synthea's breast modules order brands (BN codes) as MedicationRequests.
    orders = bundle(
        medication_request("101306", id="herceptin"),
        medication_request("1298949", id="perjeta"),
        medication_request("1371046", id="kadcyla", status="completed"),
    )
    reading = fhir_profile_read(orders)
    assert reading.profile["prior_therapies"] == ["pertuzumab", "t_dm1", "trastuzumab"]


def test_worsening_while_on_trastuzumab_is_acquired_resistance():
    on_it = bundle(medication("224905"), disease_status("271299001"))
    assert fhir_profile_read(on_it).profile["trastuzumab_response"] == "acquired_resistance"
    stable = bundle(medication("224905"), disease_status("359746009"))
    assert fhir_profile_read(stable).profile["trastuzumab_response"] == "responding"
    finished = bundle(
        medication("224905", status="completed", end="2023-01-01"), disease_status("271299001")
    )
    assert "trastuzumab_response" not in fhir_profile_read(finished).profile


def test_an_invalid_resource_is_skipped_and_the_rest_still_read():
    broken = {
        "resourceType": "Observation",
        "id": "bad",
        "code": coding(LOINC, "85319-2"),
        "subject": {"reference": "Patient/p1"},
        "valueCodeableConcept": "not a concept",
        "status": "final",
    }
    reading = fhir_profile_read(
        bundle(broken, observation("85337-4", coding(SNOMED, "10828004"), id="er"))
    )
    assert reading.profile == {"er": "positive"}
    assert any(i["resource"] == "Observation/bad" for i in reading.ignored)


@pytest.mark.django_db
def test_the_api_reads_a_bundle_and_reports_sources_and_what_it_ignored(trainee):
    api = token_client(trainee)
    body = bundle(ihc("LA11843-2", id="ihc"), ihc("LA6111-4", id="other", subject="Patient/p2"))
    response = api.post("/api/v1/fhir/profile/?patient=Patient/p1", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["profile"] == {"her2_ihc": "3+"}
    assert data["sources"] == {"her2_ihc": ["Observation/ihc"]}
    assert data["ignored"][0]["resource"] == "Observation/other"
    mixed = api.post("/api/v1/fhir/profile/", body, format="json")
    assert (
        mixed.status_code == 400 and "more than one patient" in mixed.json()["errors"]["patient"][0]
    )
    listed = api.post("/api/v1/fhir/profile/", [ihc("LA11842-4")], format="json")
    assert listed.json()["profile"] == {"her2_ihc": "2+"}


def _planned(line_code, **kw):
    plan = medication_request("2599543", id="plan", intent="proposal", status="draft", **kw)
    return {**plan, "category": [coding(SNOMED, line_code)]}


def test_the_line_of_therapy_is_read_from_a_proposed_request_in_metastatic_disease_only():
    metastatic = m_category("1229903009")
    second = fhir_profile_read(bundle(metastatic, _planned("708256001")))
    assert second.profile == {"setting": "metastatic", "metastatic_line": "2"}
    third = fhir_profile_read(bundle(metastatic, _planned("708257005")))
    assert third.profile["metastatic_line"] == "3+"
    # Without a metastatic setting read, the line is reported, not read.
    alone = fhir_profile_read(bundle(_planned("708255002")))
    assert "metastatic_line" not in alone.profile
    assert any("setting read is not metastatic" in i["why"] for i in alone.ignored)


def test_a_request_already_given_or_without_a_line_code_gives_no_line():
    metastatic = m_category("1229903009")
    uncoded = medication_request("2599543", id="plan", intent="plan", status="active")
    reading = fhir_profile_read(bundle(metastatic, uncoded))
    assert "metastatic_line" not in reading.profile
    assert any("no line of therapy coded" in i["why"] for i in reading.ignored)
    done = {**_planned("708255002"), "status": "completed"}
    assert "metastatic_line" not in fhir_profile_read(bundle(metastatic, done)).profile
