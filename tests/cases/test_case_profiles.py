"""Strict input, marker validation and storage of case profiles through the services."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import CaseProfile, Marker
from cases.services import case_create, case_update

pytestmark = pytest.mark.django_db


def _errors(data) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        case_create(data=data)
    return info.value.message_dict


def test_the_contract_example_is_stored_with_a_pseudonymous_code_and_derived_status(
    profile, trainee
):
    case = case_create(data=profile, user=trainee)

    case.refresh_from_db()
    assert case.code.startswith("TB-") and len(case.code) == 9
    assert case.her2_status == "positive"
    assert case.created_by == trainee
    assert case.as_profile() == {**profile, "notes": "", "her2_positive_fraction": None}


def test_codes_are_unique_and_do_not_encode_the_order_of_creation(profile):
    codes = [case_create(data=profile).code for _ in range(5)]
    assert len(set(codes)) == 5
    assert codes != sorted(codes) or codes != sorted(codes, reverse=True)


def test_defaults_apply_to_optional_fields():
    case = case_create(data={"setting": "early", "trastuzumab_response": "naive", "her2_ihc": "2+"})
    assert case.tumour_site == "breast"
    assert case.her2_ish == "not_done"
    assert case.her2_heterogeneity == "unknown"
    assert case.brain_metastases is False
    assert case.prior_therapies == []
    assert case.markers == {}
    assert (case.er, case.pr, case.pik3ca, case.pten) == ("unknown",) * 4
    assert case.her2_status == "indeterminate"


@pytest.mark.parametrize("field", ["patient_name", "date_of_birth", "mrn"])
def test_an_unknown_field_is_refused_and_nothing_is_stored(profile, field):
    errors = _errors({**profile, field: "anything"})
    assert field in errors
    assert "accepts only" in errors[field][0]
    assert "setting" in errors[field][0]
    assert CaseProfile.objects.count() == 0


def test_her2_status_cannot_be_given_as_input(profile):
    errors = _errors({**profile, "her2_status": "positive"})
    assert "derived" in errors["her2_status"][0]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("setting", "adjuvant", "residual_disease"),
        ("her2_ihc", "4+", ">0<1+"),
        ("her2_ish", "positive", "not_amplified"),
        ("age_band", "52", "90+"),
        ("er", True, "unknown"),
        ("prior_therapies", ["trastuzumab", "aspirin"], "cdk46_inhibitor"),
        ("prior_therapies", ["trastuzumab", "trastuzumab"], "distinct"),
        ("prior_therapies", "trastuzumab", "a list"),
        ("brain_metastases", "yes", "true or false"),
        ("her2_positive_fraction", 101, "0 to 100"),
        ("her2_positive_fraction", 50.5, "whole number"),
        ("markers", ["MUC4"], "marker codes"),
    ],
)
def test_a_value_outside_the_field_is_refused_naming_what_it_accepts(profile, field, value, named):
    errors = _errors({**profile, field: value})
    assert list(errors) == [field]
    assert named in errors[field][0]
    assert CaseProfile.objects.count() == 0


def test_missing_required_fields_are_each_named(profile):
    del profile["setting"], profile["her2_ihc"]
    errors = _errors(profile)
    assert set(errors) == {"setting", "her2_ihc"}
    assert "required" in errors["setting"][0]


def test_a_profile_must_be_an_object():
    assert "non_field_errors" in _errors(["setting", "early"])


def test_an_unknown_marker_code_is_refused_naming_the_catalogue(profile):
    errors = _errors({**profile, "markers": {"MUC5": "high"}})
    assert "Unknown marker code MUC5" in errors["markers"][0]
    assert "MUC4" in errors["markers"][0] and "p95HER2" in errors["markers"][0]


def test_a_marker_result_outside_its_scale_is_refused_naming_the_scale(profile):
    errors = _errors({**profile, "markers": {"MUC4": "positive", "p95HER2": "high"}})
    assert any("MUC4 accepts: high, normal, low" in m for m in errors["markers"])
    assert any("p95HER2 accepts: positive, negative" in m for m in errors["markers"])


def test_not_tested_is_the_same_as_leaving_the_marker_out(profile):
    case = case_create(data={**profile, "markers": {"MUC4": "not_tested", "VM": "positive"}})
    assert case.markers == {"VM": "positive"}


def test_a_marker_added_to_the_catalogue_is_accepted_at_once(profile):
    Marker.objects.create(code="NEW1", name="New marker", scale="presence")
    case = case_create(data={**profile, "markers": {"NEW1": "positive"}})
    assert case.markers == {"NEW1": "positive"}


def test_an_identifier_in_notes_is_refused_and_not_echoed(profile):
    errors = _errors({**profile, "notes": "Mrs. Kowalska, MRN 4471"})
    text = " ".join(errors["notes"])
    assert "name" in text and "record" in text
    assert "Kowalska" not in text and "4471" not in text
    assert CaseProfile.objects.count() == 0


def test_an_update_rederives_the_status_and_keeps_the_code(profile):
    case = case_create(data=profile)
    code = case.code
    case_update(case=case, data={"her2_ihc": "1+", "her2_ish": "not_amplified"}, partial=True)
    case.refresh_from_db()
    assert case.code == code
    assert case.her2_status == "low"
    assert case.pik3ca == "mutated"


def test_a_refused_update_changes_nothing(profile):
    case = case_create(data=profile)
    with pytest.raises(ValidationError):
        case_update(case=case, data={"her2_ihc": "1+", "notes": "call 050 926 42 34"}, partial=True)
    case.refresh_from_db()
    assert case.her2_ihc == "3+"
    assert case.notes == ""


def test_the_catalogue_ships_every_contract_marker_with_its_scale():
    scales = dict(Marker.objects.values_list("code", "scale"))
    presence = {"p95HER2", "HER2D16", "PD-L1", "BCSC", "VM"}
    level = {
        "MUC4", "TNFA", "CDK12", "EPHA5", "IL6_STAT3", "TELOMERASE", "AGAP2_AS1", "GSE1",
        "EGFR", "IGF1R", "MET", "EPHA2", "ADRB2", "HSF1", "LDHA", "T_DARPP", "ATP_SYNTHASE",
        "FASN", "MAL2", "FABP7", "CHI3L1", "CCL5", "CD55", "CD59", "CD46", "HSP90", "CRYAB",
        "ENDOPHILIN_A2", "P27", "SERUM_HER2_ECD",
    }  # fmt: skip
    assert {
        c for c in presence | level if scales.get(c) != ("presence" if c in presence else "level")
    } == set()


def test_groups_exist_with_case_permissions():
    from django.contrib.auth.models import Group

    trainee = Group.objects.get(name="trainee")
    assert trainee.permissions.filter(codename="add_caseprofile").exists()
    assert Group.objects.filter(name="curator").exists()
