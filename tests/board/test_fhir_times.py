"""The FHIR reader places every result and treatment in time before it trusts it: a
disease status counts as the response to trastuzumab only when it was recorded while
trastuzumab was being given; a proposed or planned order is not a therapy given; times
compare in UTC with their offsets, and a date without a time covers its whole day."""

import pytest

from board.fhir.reading import fhir_profile_read
from tests.board.fhir_resources import (
    bundle,
    coding,
    disease_status,
    ihc,
    medication,
    medication_request,
    observation,
)
from tests.factories import user_create

WORSENED, STABLE = "271299001", "359746009"
TRASTUZUMAB, T_DM1 = "224905", "1371041"


def _reading(*resources):
    return fhir_profile_read(bundle(*resources))


def test_worsening_recorded_before_trastuzumab_started_is_not_acquired_resistance():
    # The reviewer's case: worse in 2022-06, trastuzumab from 2023-01, no status since.
    reading = _reading(
        disease_status(WORSENED, date="2022-06-15"), medication(TRASTUZUMAB, start="2023-01-10")
    )
    assert "trastuzumab_response" not in reading.profile
    assert any("before trastuzumab started, and none since" in note for note in reading.notes)


def test_worsening_recorded_while_trastuzumab_was_given_is_acquired_resistance():
    reading = _reading(
        disease_status(WORSENED, date="2023-06-15"), medication(TRASTUZUMAB, start="2023-01-10")
    )
    assert reading.profile["trastuzumab_response"] == "acquired_resistance"
    assert reading.sources["trastuzumab_response"] == ["Observation/o1", "MedicationStatement/m1"]


def test_a_stable_disease_during_a_finished_course_is_a_response_and_after_it_is_unread():
    course = medication(TRASTUZUMAB, status="completed", start="2022-01-01", end="2022-12-31")
    during = _reading(disease_status(STABLE, date="2022-06-01"), course)
    assert during.profile["trastuzumab_response"] == "responding"
    after = _reading(disease_status(WORSENED, date="2023-03-01"), course)
    assert "trastuzumab_response" not in after.profile
    assert any("after trastuzumab stopped" in note for note in after.notes)


def test_a_status_on_the_day_a_course_ended_counts_as_during_it():
    course = medication(TRASTUZUMAB, status="completed", start="2022-01-01", end="2022-12-31")
    reading = _reading(disease_status(WORSENED, date="2022-12-31T18:00:00+02:00"), course)
    assert reading.profile["trastuzumab_response"] == "acquired_resistance"


@pytest.mark.parametrize("intent", ["proposal", "plan", "directive", "option"])
def test_a_proposed_or_planned_order_is_not_a_therapy_given(intent):
    reading = _reading(medication_request(T_DM1, intent=intent))
    assert "prior_therapies" not in reading.profile
    (ignored,) = reading.ignored
    assert ignored["resource"] == "MedicationRequest/r1"
    assert f"intent {intent}" in ignored["why"] and "only an order" in ignored["why"]


@pytest.mark.parametrize("intent", ["order", "original-order", "reflex-order", "filler-order",
                                    "instance-order"])  # fmt: skip
def test_an_active_or_completed_order_is_a_therapy_given(intent):
    for status in ("active", "completed"):
        reading = _reading(medication_request(T_DM1, intent=intent, status=status))
        assert reading.profile["prior_therapies"] == ["t_dm1"]


@pytest.mark.django_db
def test_a_proposed_t_dm1_does_not_change_the_cards_of_a_patient_progressing_on_trastuzumab(
    client,
):
    # The reviewer's second case, through the CDS Hooks service.
    from django.test import override_settings

    resources = [
        ihc("LA11843-2"),
        observation("21907-1", coding("http://snomed.info/sct", "1229903009"), id="m1"),
        medication(TRASTUZUMAB, start="2023-01-10"),
        disease_status(WORSENED, id="s1", date="2023-09-01"),
    ]
    call = {"hook": "patient-view", "hookInstance": "7b3f3b2c-8a51-4b9a-9d7e-3f2c1e0a9b11",
            "context": {"userId": "Practitioner/1", "patientId": "p1"}}  # fmt: skip
    client.force_login(user_create("cds-user", "trainee"))
    with override_settings(CDS_HOOKS_ISSUERS={}):
        plain = client.post(
            "/cds-services/her2-trastuzumab-resistance",
            {**call, "prefetch": {"all": bundle(*resources)}},
            content_type="application/json",
        )
        proposed = client.post(
            "/cds-services/her2-trastuzumab-resistance",
            {**call, "prefetch": {"all": bundle(*resources, medication_request(T_DM1,
                                                                              intent="proposal"))}},
            content_type="application/json",
        )  # fmt: skip
    assert plain.status_code == proposed.status_code == 200
    summaries = [card["summary"] for card in plain.json()["cards"]]
    assert summaries == [card["summary"] for card in proposed.json()["cards"]]
    assert summaries


def test_times_compare_in_utc_with_their_offsets():
    # 3+ at 23:30 in UTC-5 is 04:30Z on 2 March: newer than 1+ at 01:00Z that day.
    reading = _reading(
        ihc("LA11843-2", id="late", date="2024-03-01T23:30:00-05:00"),
        ihc("LA11841-6", id="early", date="2024-03-02T01:00:00Z"),
    )
    assert reading.profile["her2_ihc"] == "3+"
    assert reading.sources["her2_ihc"] == ["Observation/late"]


def test_a_date_without_a_time_covers_its_day():
    # An instant on the same day cannot be ordered against it: disagreeing, neither is read.
    same_day = _reading(
        ihc("LA11843-2", id="dated", date="2024-03-02"),
        ihc("LA11841-6", id="timed", date="2024-03-02T15:00:00Z"),
    )
    assert "her2_ihc" not in same_day.profile
    assert any("same date disagree" in item["why"] for item in same_day.ignored)
    # The day before is older, the day after newer.
    before = _reading(
        ihc("LA11843-2", id="dated", date="2024-03-01"),
        ihc("LA11841-6", id="timed", date="2024-03-02T00:00:00Z"),
    )
    assert before.profile["her2_ihc"] == "1+"
    after = _reading(
        ihc("LA11843-2", id="dated", date="2024-03-03"),
        ihc("LA11841-6", id="timed", date="2024-03-02T23:59:00Z"),
    )
    assert after.profile["her2_ihc"] == "3+"


@pytest.mark.django_db
def test_a_worsening_before_trastuzumab_leaves_the_hook_a_412_that_says_why(client):
    user = user_create("cds-user", "trainee")
    client.force_login(user)
    resources = [
        ihc("LA11843-2"),
        observation("21907-1", coding("http://snomed.info/sct", "1229903009"), id="m1"),
        disease_status(WORSENED, id="s1", date="2022-06-15"),
        medication(TRASTUZUMAB, start="2023-01-10"),
    ]
    answer = client.post(
        "/cds-services/her2-trastuzumab-resistance",
        {"hook": "patient-view", "hookInstance": "7b3f3b2c-8a51-4b9a-9d7e-3f2c1e0a9b11",
         "context": {"userId": "Practitioner/1", "patientId": "p1"},
         "prefetch": {"all": bundle(*resources)}},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 412
    assert "before trastuzumab started" in answer.json()["detail"]
