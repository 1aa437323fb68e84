"""Security review 2's appendix lists "FHIR / CDS input robustness" (86 attempts) replayed
attempt by attempt: each answers what the report saw where it held, and a 200 that skips
and reports the resource where it broke (a 500 then). Its "Server errors" list (three
double submissions) is replayed in test_hostile_input_round3.py."""

import copy

import pytest

from tests.board.fhir_resources import PATIENT, bundle, ihc, medication, medication_request, variant
from tests.factories import CDS_SERVICE, token_client

pytestmark = pytest.mark.django_db

READER = "/api/v1/fhir/profile/"


def _with(resource: dict, **change) -> dict:
    changed = copy.deepcopy(resource)
    changed.update(change)
    return changed


def _observation(**change) -> dict:
    return _with(ihc("LA11843-2", id="o1"), **change)


_FIELDS = [
    (1, "subject", "Patient/p1"), (2, "subject", ["x"]), (3, "subject", 1),
    (4, "subject", True), (5, "subject", {"reference": 1}),
    (6, "subject", {"reference": ["Patient/p1"]}), (7, "subject", {"reference": {"a": 1}}),
    (8, "subject", {"reference": ""}), (9, "subject", {"reference": "Patient/"}),
    (10, "subject", {"reference": "urn:uuid:" + "a" * 64}),
    (11, "code", "85319-2"), (12, "code", [1]), (13, "code", 1), (14, "code", {"coding": "x"}),
    (15, "code", {"coding": [1]}), (16, "code", {"coding": [{"system": 1, "code": {"a": 1}}]}),
    (17, "code", {"coding": [{"system": "http://loinc.org", "code": ["85319-2"]}]}),
    (18, "code", {"coding": None}),
    (19, "status", 1), (20, "status", ["final"]), (21, "status", {"a": 1}), (22, "status", None),
    (23, "valueCodeableConcept", "x"), (24, "valueCodeableConcept", [1]),
    (25, "valueCodeableConcept", {"coding": "x"}),
    (26, "valueCodeableConcept", {"coding": [None]}),
    (27, "valueCodeableConcept", {"text": 1}), (28, "valueCodeableConcept", {"text": ["a"]}),
    (29, "effectiveDateTime", 1), (30, "effectiveDateTime", ["2024"]),
    (31, "effectiveDateTime", "not a date"), (32, "effectiveDateTime", "2024-13-45"),
    (33, "effectiveDateTime", "9999-12-31T23:59:59+14:00"),
    (34, "effectiveDateTime", "0001-01-01"), (35, "effectiveDateTime", {"a": 1}),
    (36, "effectivePeriod", {"start": 1}), (37, "effectivePeriod", "x"),
    (38, "issued", 1), (39, "issued", "x"), (40, "issued", {"a": 1}),
    (41, "valueString", 1), (42, "valueString", ["x"]), (43, "valueString", {"a": 1}),
    (44, "interpretation", "POS"), (45, "interpretation", [1]),
    (46, "interpretation", [{"coding": "x"}]),
    (47, "component", "x"), (48, "component", [1]), (49, "component", [{"code": "x"}]),
    (50, "id", 1), (51, "id", ["x"]), (52, "id", {"a": 1}), (53, "id", "x" * 1000),
    (54, "resourceType", 1), (55, "resourceType", ["Observation"]),
    (56, "resourceType", {"a": 1}), (57, "resourceType", "Patient"),
    (58, "resourceType", "Bundle"),
    (59, "valueQuantity", "x"), (60, "valueQuantity", [1]), (61, "valueQuantity", {"value": "x"}),
    (62, "valueQuantity", {"value": 1e308}), (63, "valueQuantity", {"value": -1}),
]  # fmt: skip
BROKE = {1, 2, 3, 4, 20, 21}  # answered 500 in the report


@pytest.mark.parametrize(
    ("field", "value", "broke"),
    [pytest.param(f, v, n in BROKE, id=f"attempt-{n}") for n, f, v in _FIELDS],
)
def test_an_observation_with_a_field_of_any_shape_is_read_or_skipped(trainee, field, value, broke):
    response = token_client(trainee).post(READER, [_observation(**{field: value})], format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"profile", "sources", "ignored", "disclaimer"}
    if broke:
        assert body["profile"] == {} and body["ignored"][0]["resource"] == "Observation/o1"


def _nested(depth: int) -> dict:
    inner = bundle(ihc("LA11843-2", id="o1"))
    for _ in range(depth):
        inner = bundle(inner)
    return inner


OTHER_RESOURCES = [
    (64, _with(medication("224905"), medicationCodeableConcept="x")),
    (65, {**{k: v for k, v in medication("224905").items() if k != "medicationCodeableConcept"},
          "medicationReference": 1}),
    (66, _with(medication_request("224905"), status=["active"])),
    (67, {"resourceType": "Condition", "id": "c1", "code": [1], "subject": {"reference": PATIENT}}),
    (68, {"resourceType": "Condition", "id": "c1", "clinicalStatus": 1,
          "subject": {"reference": PATIENT}}),
    (69, _with(variant(), component="x")),
    (70, _with(variant(), component=[{"code": 1}])),
    (71, {"resourceType": "Bundle", "type": "searchset", "entry": "x"}),
    (72, {"resourceType": "Bundle", "type": "searchset", "entry": [1, None, {"resource": 1}]}),
    (73, _nested(200)),
]  # fmt: skip


@pytest.mark.parametrize(
    "resource", [pytest.param(r, id=f"attempt-{n}") for n, r in OTHER_RESOURCES]
)
def test_other_malformed_resources_are_skipped_with_a_200(trainee, resource):
    response = token_client(trainee).post(READER, [resource], format="json")
    assert response.status_code == 200
    assert "ignored" in response.json()


def _cds(trainee, her2: dict):
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"patientId": "p1"},
        "prefetch": {"her2": bundle(her2)},
    }
    return token_client(trainee).post(CDS_SERVICE, body, format="json")


@pytest.mark.parametrize(
    "her2",
    [
        pytest.param(_observation(subject="Patient/p1"), id="attempt-74"),
        pytest.param(_observation(subject=["x"]), id="attempt-75"),
        pytest.param(_observation(code="85319-2"), id="attempt-76"),
        pytest.param(_observation(valueCodeableConcept="x"), id="attempt-77"),
        pytest.param(_observation(subject={"reference": "Patient/p2"}), id="attempt-78"),
    ],
)
def test_a_prefetch_with_no_usable_her2_result_is_412_not_500(trainee, her2):
    response = _cds(trainee, her2)
    assert response.status_code == 412
    assert "HER2" in response.json()["detail"]


def test_attempt_79_two_patients_without_saying_which_is_400(trainee):
    resources = [ihc("LA11843-2", id="o1"), ihc("LA11843-2", id="o2", subject="Patient/p2")]
    response = token_client(trainee).post(READER, resources, format="json")
    assert response.status_code == 400


def test_attempt_80_a_subject_on_another_server_is_read_as_that_patient(trainee):
    resource = ihc("LA11843-2", subject="https://other.example/fhir/Patient/p1")
    response = token_client(trainee).post(f"{READER}?patient=Patient/p1", [resource], format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("patient", "status", "read"),
    [
        pytest.param("Patient/p1?x=1", 200, False, id="attempt-81"),
        pytest.param("urn:uuid:x", 200, False, id="attempt-82"),
        pytest.param("Patient/", 200, False, id="attempt-83"),
        pytest.param("Observation/1", 400, False, id="attempt-84"),
        pytest.param("Patient/p1/_history/2", 200, True, id="attempt-85"),
    ],
)
def test_the_readers_patient_parameter_of_any_shape(trainee, patient, status, read):
    from urllib.parse import quote

    response = token_client(trainee).post(
        f"{READER}?patient={quote(patient)}", [ihc("LA11843-2")], format="json"
    )
    assert response.status_code == status
    if status == 200:
        assert ("her2_ihc" in response.json()["profile"]) is read


def test_attempt_86_a_status_list_is_skipped_with_a_200(trainee):
    response = token_client(trainee).post(READER, [_observation(status=["final"])], format="json")
    assert response.status_code == 200
    assert response.json()["ignored"][0]["resource"] == "Observation/o1"
