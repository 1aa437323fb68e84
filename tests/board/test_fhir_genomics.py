"""Codes EHRs send: PIK3CA in the Genomics Reporting IG's current shape (clinical
significance on a Diagnostic Implication `derivedFrom` the variant, the current ACMG answer
codes, genes by HGNC symbol), system URIs written with a trailing slash, ER and PR
interpretations and any-tissue tests, and HER2 by immunoassay."""

import copy
import json
from pathlib import Path

import pytest

from board.fhir.reading import fhir_profile_read
from tests.board.fhir_resources import LOINC, PATIENT, coding, variant

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "shared" / "fhir-examples"
TBD = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes"


def _shared_variant() -> dict:
    # The IG's own PIK3CA p.His1047Arg variant: present, no clinical significance of its own.
    found = json.loads((EXAMPLES / "gr_pik3ca_variant.json").read_text())
    found["subject"] = {"reference": PATIENT}
    return found


def _implication(significance: str, derived_from: str, *, id="imp") -> dict:
    return {
        "resourceType": "Observation",
        "id": id,
        "meta": {"profile": [
            "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/diagnostic-implication"
        ]},
        "status": "final",
        "code": coding(TBD, "diagnostic-implication"),
        "subject": {"reference": PATIENT},
        "effectiveDateTime": "2023-03-05",
        "derivedFrom": [{"reference": derived_from}],
        "component": [{"code": coding(LOINC, "53037-8"),
                       "valueCodeableConcept": coding(LOINC, significance)}],
    }  # fmt: skip


def _bundle_by_full_url(*pairs) -> dict:
    entries = [{"fullUrl": url, "resource": resource} for url, resource in pairs]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


@pytest.mark.parametrize(
    ("significance", "expected"),
    [("LA6668-3", "mutated"), ("LA26332-9", "mutated"), ("LA26333-7", None),
     ("LA26334-5", None), ("LA6675-8", None)],
)  # fmt: skip
def test_the_shared_pik3ca_variant_is_read_through_its_diagnostic_implication(
    significance, expected
):
    variant_url = "urn:uuid:0f3e2a8c-7b1d-4c55-9a66-2b7d9c1e4f10"
    reading = fhir_profile_read(
        _bundle_by_full_url(
            (variant_url, _shared_variant()),
            ("urn:uuid:9d1c", _implication(significance, variant_url)),
        )
    )
    assert reading.profile.get("pik3ca") == expected
    if expected:
        assert reading.sources["pik3ca"] == ["Observation/oncology-report-example-4"]
        assert any("Observation/imp" in note for note in reading.notes)


def test_an_implication_names_its_variant_by_type_and_id_too():
    reading = fhir_profile_read(
        [_shared_variant(), _implication("LA6668-3", "Observation/oncology-report-example-4")]
    )
    assert reading.profile["pik3ca"] == "mutated"


def test_an_implication_of_another_variant_is_reported_not_applied():
    reading = fhir_profile_read([_shared_variant(), _implication("LA6668-3", "Observation/x")])
    assert "pik3ca" not in reading.profile
    why = "a diagnostic implication of no PIK3CA variant read here"
    assert {"resource": "Observation/imp", "why": why} in reading.ignored


def test_likely_pathogenic_on_the_variant_itself_is_a_mutation():
    assert fhir_profile_read(variant(significance="LA26332-9")).profile == {"pik3ca": "mutated"}


def test_a_gene_coded_by_its_hgnc_symbol_is_read():
    by_symbol = variant(gene="PIK3CA", significance="LA6668-3")
    assert fhir_profile_read(by_symbol).profile == {"pik3ca": "mutated"}


def test_system_uris_with_a_trailing_slash_read_the_same():
    slashed = copy.deepcopy(variant(significance="LA6668-3"))
    concepts = [slashed["code"]]
    for component in slashed["component"]:
        concepts += [component["code"], component["valueCodeableConcept"]]
    for concept in concepts:
        for coding_ in concept["coding"]:
            coding_["system"] += "/"
    assert fhir_profile_read(slashed).profile == {"pik3ca": "mutated"}


@pytest.mark.parametrize(("loinc", "fact"), [("16112-5", "er"), ("16113-3", "pr"),
                                             ("40556-3", "er"), ("40557-1", "pr")])  # fmt: skip
def test_er_and_pr_are_read_from_their_interpretations_and_any_tissue(loinc, fact):
    from tests.board.fhir_resources import observation

    positive = observation(loinc, coding(LOINC, "LA6576-8"))
    assert fhir_profile_read(positive).profile == {fact: "positive"}


def test_her2_by_immunoassay_in_tissue_is_read_only_from_a_score():
    from tests.board.fhir_resources import observation

    scored = observation("72383-3", coding(LOINC, "LA11843-2"))
    assert fhir_profile_read(scored).profile == {"her2_ihc": "3+"}
    presence = observation("72383-3", coding(LOINC, "LA6576-8"))
    assert "her2_ihc" not in fhir_profile_read(presence).profile


@pytest.mark.django_db
def test_the_reader_takes_fhirs_own_media_type(trainee):
    from tests.board.fhir_resources import bundle, ihc
    from tests.factories import token_client

    answer = token_client(trainee).post(
        "/api/v1/fhir/profile/",
        json.dumps(bundle(ihc("LA11843-2"))),
        content_type="application/fhir+json",
    )
    assert answer.status_code == 200
    assert answer.json()["profile"] == {"her2_ihc": "3+"}


def test_the_proxy_tells_the_app_which_scheme_the_client_used():
    config = (Path(__file__).resolve().parents[2] / "deploy" / "haproxy.cfg").read_text()
    assert "http-request set-header X-Forwarded-Proto https if { ssl_fc }" in config
    assert "http-request set-header X-Forwarded-Proto http if !{ ssl_fc }" in config


def _condition(**extra):
    return {"resourceType": "Condition", "id": "c1", "subject": {"reference": PATIENT},
            "clinicalStatus": coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
                                     "active"), **extra}  # fmt: skip


@pytest.mark.parametrize(
    "shape",
    [{"code": coding("http://snomed.info/sct", "128462008")},
     {"category": [coding("http://snomed.info/sct", "128462008")],
      "code": coding("http://snomed.info/sct", "94222008")},
     {"code": coding("http://snomed.info/sct", "315004001")}],
)  # fmt: skip
def test_a_metastatic_condition_is_found_by_its_snomed_code_without_an_mcode_profile(shape):
    assert fhir_profile_read(_condition(**shape)).profile == {"setting": "metastatic"}


def test_a_primary_cancer_condition_without_the_profile_says_nothing_of_the_setting():
    primary = _condition(code=coding("http://snomed.info/sct", "254837009"))  # breast cancer
    reading = fhir_profile_read(primary)
    assert reading.profile == {}
    assert "not an mCODE secondary" in reading.ignored[0]["why"]


def test_a_panels_component_results_are_read_as_observations_of_their_own():
    from tests.board.fhir_resources import observation

    panel = observation("85330-9", id="panel")  # a panel code the reader does not use itself
    panel["component"] = [
        {"code": coding(LOINC, "85319-2"), "valueCodeableConcept": coding(LOINC, "LA11843-2")},
        {"code": coding(LOINC, "85337-4"), "valueCodeableConcept": coding(LOINC, "LA6576-8")},
        {"code": coding(LOINC, "99999-9"), "valueString": "something else"},
    ]
    reading = fhir_profile_read(panel)
    assert reading.profile == {"her2_ihc": "3+", "er": "positive"}
    assert reading.sources["her2_ihc"] == ["Observation/panel component 1"]
