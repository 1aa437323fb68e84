"""POST /api/v1/evaluate/: the contract's evaluation, nothing stored."""

import pytest
from django.urls import reverse

from cases.models import CaseProfile
from rules.models import Rule
from tests.factories import release_publish_now

pytestmark = pytest.mark.django_db
URL = "/api/v1/evaluate/"


@pytest.fixture
def api(client, trainee):
    client.force_login(trainee)
    return client


def _post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_the_url_is_the_contracts():
    assert reverse("api:evaluate") == URL


def test_the_contract_example_answers_the_contracts_shape(api, profile):
    response = _post(api, profile)

    assert response.status_code == 200
    body = response.json()
    assert body["disclaimer"].startswith(
        "Research and training use only. Not for clinical decisions."
    )
    assert body["knowledge_base_version"].startswith("kb-")
    assert body["her2_status"] == "positive"
    pi3k = next(
        r for r in body["recommendations"] if r["rule"] == "pi3k-inhibitor-with-trastuzumab"
    )
    assert pi3k["mechanism"] == "Activation of alternative signalling pathways (PI3K/AKT/mTOR)"
    assert pi3k["strategy"] == "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)"
    assert pi3k["evidence_level"] == "preclinical_in_vivo"
    assert pi3k["rationale"]
    assert pi3k["matched_facts"]["pik3ca"] == "mutated"
    citation = pi3k["citations"][0]
    assert citation["label"] == "Cataldo et al., 2023"
    assert citation["year"] == 2023
    assert citation["doi"] == "10.3389/fonc.2023.1108242"
    assert {"title", "journal"} <= set(citation)
    muc4 = next(r for r in body["recommendations"] if r["rule"] == "muc4-epitope-masking")
    assert muc4["matched_facts"]["markers"] == {"MUC4": "high"}
    assert all({"fact", "why"} <= set(t) for t in body["suggested_tests"])
    assert CaseProfile.objects.count() == 0


def test_evaluation_reads_a_bounded_number_of_queries_whatever_the_rules(
    api, profile, django_assert_num_queries, settings
):
    # Cold: 1 session, 2 user, 3 the user's permissions (a member of a group:
    # core.permissions.IsMember), 4-5 the user throttle's counter in the shared database
    # cache: read, then insert or update (core.cache; with REDIS_URL it is in Redis).
    # 6 knowledge-base fingerprint, 7 the latest release (the whole knowledge base in one
    # row), 8 marker catalogue, 9 the cases the user owes a proposal for (a profile with
    # one's facts is refused: propose first).
    with django_assert_num_queries(9):
        assert _post(api, profile).status_code == 200
    # Warm, within the recheck intervals: 1 session, 2 the cases owed; the user is the one
    # this worker read (core.auth_memory), the throttle spends what the first request
    # leased (core.throttling: 1,200/min leases 12); nothing about the knowledge base.
    with django_assert_num_queries(2):
        assert _post(api, profile).status_code == 200
    # Warm, the knowledge base's interval over: 1-2 as above, 3 the fingerprint (nothing
    # changed, so the knowledge base itself is not read again).
    settings.KNOWLEDGE_BASE_RECHECK_SECONDS = 0
    with django_assert_num_queries(3):
        assert _post(api, profile).status_code == 200


def test_an_invalid_profile_answers_400_naming_each_field(api, profile):
    response = _post(
        api,
        {**profile, "setting": "adjuvant", "patient_name": "x", "her2_status": "positive",
         "markers": {"MUC4": "positive"}, "notes": "Mrs. Kowalska"},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    errors = body["errors"]
    assert set(errors) == {"setting", "patient_name", "her2_status", "markers", "notes"}
    assert "residual_disease" in errors["setting"][0]
    assert body["detail"].startswith("Check these fields: ") and "notes" in body["detail"]
    assert "Kowalska" not in str(body)


@pytest.mark.parametrize("payload", ['["a"]', "not json", "{"])
def test_a_body_that_is_not_a_profile_object_answers_400(api, payload):
    response = api.post(URL, payload, content_type="application/json")
    assert response.status_code == 400


def test_anonymous_clients_are_refused(client, profile):
    response = _post(client, profile)
    assert response.status_code in (401, 403)


def test_her2_zero_gets_the_scope_note_and_no_strategy(api, profile):
    body = _post(api, {**profile, "her2_ihc": "0"}).json()
    assert body["her2_status"] == "zero"
    assert body["in_scope"] is False
    assert [r["rule"] for r in body["recommendations"]] == ["scope-her2-zero"]


def test_drafts_never_fire_for_users(api, profile):
    Rule.objects.filter(slug="pi3k-inhibitor-with-trastuzumab").update(status="draft")
    release_publish_now()
    body = _post(api, profile).json()
    assert "pi3k-inhibitor-with-trastuzumab" not in [r["rule"] for r in body["recommendations"]]
