"""CDS Hooks 2.0: discovery, calls with a profile or FHIR prefetch, 412, and feedback."""

import json

import pytest

from board.models import CdsFeedback
from cases.services import case_create
from rules.titles import title_summary
from tests.board.fhir_resources import (
    bundle,
    coding,
    disease_status,
    ihc,
    m_category,
    medication,
    observation,
    variant,
)
from tests.factories import CDS_ISSUER as ISSUER
from tests.factories import CDS_SERVICE, CONTRACT_EXAMPLE, token_client
from tests.factories import cds_jwt as _jwt

pytestmark = pytest.mark.django_db
SERVICE = CDS_SERVICE


@pytest.fixture
def api(trainee):
    return token_client(trainee)


def _call(api, context, prefetch=None):
    # patient-view requires a patientId; a test that names none calls about "example".
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"patientId": "example", **context},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return api.post(SERVICE, body, format="json")


def test_discovery_lists_the_service_with_its_prefetch_and_requirements(api_client):
    (service,) = api_client.get("/cds-services").json()["services"]
    assert service["id"] == "her2-trastuzumab-resistance"
    assert service["hook"] == "patient-view"
    assert service["title"] and "Not for clinical decisions" in service["description"]
    assert "85319-2" in service["prefetch"]["her2"]
    assert "97509-4" in service["prefetch"]["diseaseStatus"]
    assert service["prefetch"]["medicationStatements"].startswith("MedicationStatement?patient=")
    assert "context.profile" in service["usageRequirements"]


def test_a_profile_in_context_answers_cards(api):
    response = _call(api, {"patientId": "example", "profile": CONTRACT_EXAMPLE})
    assert response.status_code == 200
    cards = response.json()["cards"]
    pi3k = next(c for c in cards if "alpelisib" in c["summary"])
    assert len(pi3k["summary"]) < 140
    assert pi3k["indicator"] == "info"
    assert "Cataldo et al., 2023" in pi3k["detail"]
    assert "PIK3CA = mutated" in pi3k["detail"]
    assert "Research and training use only" in pi3k["detail"]
    assert pi3k["source"]["url"] == "https://doi.org/10.15421/022449"
    muc4 = next(c for c in cards if "MUC4" in c["summary"])
    assert muc4["indicator"] == "warning"


def test_fhir_observations_in_prefetch_are_read_from_codes(api):
    her2 = bundle(
        ihc("LA11842-4", id="ihc"),
        observation("85318-4", coding("http://loinc.org", "LA6576-8"), id="ish"),
    )
    receptors = bundle(
        observation("85337-4", coding("http://snomed.info/sct", "10828004"), id="er")
    )
    context = {
        "patientId": "p1",
        "profile": {"setting": "metastatic", "trastuzumab_response": "acquired_resistance"},
    }
    prefetch = {"her2": her2, "receptors": receptors, "variants": variant(significance="LA6668-3")}
    response = _call(api, context, prefetch)
    assert response.status_code == 200
    summaries = [c["summary"] for c in response.json()["cards"]]
    assert any("alpelisib" in s for s in summaries)  # PIK3CA pathogenic, HER2 2+ amplified
    assert any("oestrogen" in s.lower() for s in summaries)  # ER positive


def test_a_stored_case_gets_a_link_to_its_page(api, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    cards = _call(api, {"caseCode": case.code}).json()["cards"]
    assert cards[0]["links"][0]["url"].endswith(f"/cases/{case.code}/")


def test_412_when_the_service_lacks_what_it_needs(api):
    response = _call(api, {"patientId": "example"}, {"her2": None})
    assert response.status_code == 412
    assert "HER2 IHC" in response.json()["detail"]


def test_an_invalid_resource_in_the_prefetch_is_skipped_not_a_400(api):
    context = {
        "patientId": "p1",
        "profile": {"setting": "metastatic", "trastuzumab_response": "naive", "her2_ihc": "3+"},
    }
    response = _call(api, context, {"her2": {"resourceType": "Observation", "code": {}}})
    assert response.status_code == 200


def test_feedback_is_stored_and_visible_to_curators(api, client, curator):
    card = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"][0]
    response = api.post(
        f"{SERVICE}/feedback",
        {
            "feedback": [
                {
                    "card": card["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {
                        "reason": {"code": "not-applicable", "display": "Not applicable here"},
                        "userComment": "Board preferred a trial option",
                    },
                    "outcomeTimestamp": "2026-11-29T10:00:00Z",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    feedback = CdsFeedback.objects.get()
    assert feedback.outcome == "overridden"
    assert feedback.override_reason_display == "Not applicable here"
    client.force_login(curator)
    page = client.get("/admin/board/cdsfeedback/").content.decode()
    assert feedback.card.rule_slug in page


def test_feedback_comments_are_screened_for_identifiers(api):
    card = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"][0]
    response = api.post(
        f"{SERVICE}/feedback",
        {
            "feedback": [
                {
                    "card": card["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {"userComment": "Mrs. Kowalska declined"},
                    "outcomeTimestamp": "2026-11-29T10:00:00Z",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Kowalska" not in response.content.decode()
    assert CdsFeedback.objects.count() == 0


def test_feedback_for_an_unknown_card_is_404(api):
    response = api.post(
        f"{SERVICE}/feedback",
        {
            "feedback": [
                {
                    "card": "5f6c1c8e-0000-4000-8000-000000000000",
                    "outcome": "accepted",
                    "outcomeTimestamp": "2026-11-29T10:00:00Z",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 404


def test_cards_come_strongest_evidence_first_with_their_caveats(api):
    cards = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"]
    assert cards[0]["summary"].startswith("Metastatic disease after trastuzumab: T-DM1")
    (alpelisib,) = [c for c in cards if "alpelisib" in c["summary"]]
    assert (
        "Caveat: The paper compared PIK3CA-mutant with wild-type cell lines" in alpelisib["detail"]
    )


# --- conformance: a real EHR's call -----------------------------------------------------


def _spec_prefetch():
    """What an EHR sends for the discovery's prefetch templates: mCODE and Genomics
    Reporting resources, nothing non-standard."""
    return {
        "her2": bundle(ihc("LA11843-2", id="ihc")),
        "receptors": bundle(
            observation("85337-4", coding("http://snomed.info/sct", "10828004"), id="er")
        ),
        "variants": bundle(variant(significance="LA6668-3", id="v1")),
        "staging": bundle(m_category("1229903009", id="m1")),
        "diseaseStatus": bundle(disease_status("271299001", id="ds", date="2024-06-01")),
        "conditions": None,
        "medicationStatements": bundle(
            medication("224905", id="tras"), medication("1298944", id="per")
        ),
    }


def _spec_body(prefetch):
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "https://ehr.example.org/fhir",
        "context": {"userId": "Practitioner/123", "patientId": "p1"},
        "prefetch": prefetch,
    }


def test_a_spec_shaped_call_with_a_jwt_gets_the_cards_the_evaluate_api_gives(
    client, ehr_key, trainee
):
    response = client.post(
        SERVICE,
        _spec_body(_spec_prefetch()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_jwt(ehr_key)}",
    )
    assert response.status_code == 200, response.content
    read = {
        "setting": "metastatic",
        "trastuzumab_response": "acquired_resistance",
        "prior_therapies": ["pertuzumab", "trastuzumab"],
        "her2_ihc": "3+",
        "er": "positive",
        "pik3ca": "mutated",
    }
    evaluated = token_client(trainee).post("/api/v1/evaluate/", read, format="json").json()
    titles = [r["title"] for r in evaluated["recommendations"]]
    assert [c["summary"] for c in response.json()["cards"]] == [title_summary(t) for t in titles]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"aud": "https://elsewhere.example/cds-services/x"}, "audience"),
        ({"exp_in": -120}, "expired"),
        ({"iss": "https://untrusted.example"}, "not trusted"),
    ],
)
def test_a_jwt_with_a_wrong_audience_expiry_or_issuer_is_401_in_json(client, ehr_key, change, why):
    response = client.post(
        SERVICE,
        _spec_body(_spec_prefetch()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_jwt(ehr_key, **change)}",
    )
    assert response.status_code == 401
    assert why in response.json()["detail"].lower()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_replayed_jwt_is_refused(client, ehr_key):
    token = _jwt(ehr_key, jti="once")
    first = client.post(
        SERVICE,
        _spec_body(_spec_prefetch()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    again = client.post(
        SERVICE,
        _spec_body(_spec_prefetch()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert (first.status_code, again.status_code) == (200, 401)
    assert "replay" in again.json()["detail"]


def test_another_patients_resources_in_the_prefetch_are_not_used(api):
    prefetch = _spec_prefetch()
    prefetch["her2"] = bundle(ihc("LA6111-4", id="other", subject="Patient/p2"))
    response = _call(api, {"patientId": "p1"}, prefetch)
    assert response.status_code == 412  # HER2 IHC of p2 does not count for p1


def test_the_clinicians_profile_wins_over_the_prefetch_and_the_card_says_so(api):
    response = _call(api, {"patientId": "p1", "profile": {"er": "negative"}}, _spec_prefetch())
    card = response.json()["cards"][0]
    assert "Differs from the FHIR data" in card["detail"] and "ER" in card["detail"]


def test_cards_omit_empty_fields_and_offer_topics_and_override_reasons(api):
    cards = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"]
    assert all("links" not in card for card in cards)
    assert cards[0]["source"]["topic"]["display"]
    assert {r["code"] for r in cards[0]["overrideReasons"]} >= {"not-applicable"}


def test_curator_text_cannot_put_html_or_links_into_a_card(api):
    from rules.models import Rule

    Rule.objects.filter(slug="muc4-epitope-masking").update(
        rationale="<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](https://x/y.png)"
    )
    from rules.knowledge_base import knowledge_base_cache_clear

    knowledge_base_cache_clear()
    cards = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"]
    (muc4,) = [c for c in cards if "MUC4" in c["summary"]]
    assert "<img" not in muc4["detail"] and "](javascript:" not in muc4["detail"]
    assert "![i](" not in muc4["detail"]


def test_another_hook_is_refused(api):
    body = {
        "hook": "order-sign",
        "hookInstance": "0b8e2f7c-5d1a-4f3e-9c2b-7a6d5e4f3c21",
        "context": {"profile": CONTRACT_EXAMPLE},
    }
    response = api.post(SERVICE, body, format="json")
    assert response.status_code == 400 and "patient-view" in response.json()["errors"]["hook"][0]


def test_errors_are_json_not_html(api, client):
    missing = client.get("/cds-services/no-such-service")
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404 and missing.json()["title"] == "Not Found"
    big = "x" * (10 * 1024 * 1024 + 1)
    response = api.post(SERVICE, data=big, content_type="application/json")
    assert response.status_code == 413 and "larger than 10 MB" in response.json()["detail"]


def test_a_large_genomic_prefetch_is_accepted(api):
    variants = [variant(gene="HGNC:644", id=f"v{n}") for n in range(600)]
    prefetch = {"variants": bundle(*variants)}
    context = {"patientId": "p1", "profile": CONTRACT_EXAMPLE}
    assert _call(api, context, prefetch).status_code == 200


def test_cors_lets_a_configured_ehr_sandbox_call(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://sandbox.cds-hooks.org"]
    preflight = client.options(
        SERVICE,
        HTTP_ORIGIN="https://sandbox.cds-hooks.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://sandbox.cds-hooks.org"
    other = client.get("/api/v1/markers/", HTTP_ORIGIN="https://sandbox.cds-hooks.org")
    assert "Access-Control-Allow-Origin" not in other


def test_feedback_refuses_an_impossible_time_with_a_message(api):
    card = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"][0]
    item = {"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": "2026-11-29T10:60Z"}
    response = api.post(f"{SERVICE}/feedback", {"feedback": [item]}, format="json")
    assert response.status_code == 400
    assert "time zone" in json.dumps(response.json())


def test_feedback_refuses_a_timestamp_without_a_time_zone(api):
    card = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"][0]
    item = {"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": "2020-12-11 00:00"}
    response = api.post(f"{SERVICE}/feedback", {"feedback": [item]}, format="json")
    assert response.status_code == 400
    assert "time zone" in json.dumps(response.json())


def test_the_staging_prefetch_asks_for_every_staging_code_the_reader_reads(client):
    from board.fhir import codes

    staging = client.get("/cds-services").json()["services"][0]["prefetch"]["staging"]
    asked = {part.split("|")[1] for part in staging.split("code=")[1].split(",")}
    read = {
        code for system, code in codes.M_CATEGORY | codes.PATHOLOGIC_T_N if system == codes.LOINC
    }
    assert asked == read and "21913-9" in asked


@pytest.mark.parametrize(
    ("change", "field"),
    [({"hookInstance": "call-1"}, "hookInstance"),
     ({"context": {"profile": CONTRACT_EXAMPLE}}, "context.patientId"),
     ({"context": {"patientId": " ", "profile": CONTRACT_EXAMPLE}}, "context.patientId")],
)  # fmt: skip
def test_a_call_without_a_uuid_hook_instance_or_a_patient_id_is_refused(trainee, change, field):
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"patientId": "example", "profile": CONTRACT_EXAMPLE}, **change}  # fmt: skip
    answer = token_client(trainee).post(SERVICE, body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_hook_calls_count_per_issuer_not_per_the_local_user_they_act_as(
    client, ehr_key, settings, monkeypatch, trainee
):
    from board.cds.auth import IssuerThrottle

    other = "https://other-ehr.example/fhir"
    settings.CDS_HOOKS_ISSUERS = {**settings.CDS_HOOKS_ISSUERS,
                                  other: settings.CDS_HOOKS_ISSUERS[ISSUER]}  # fmt: skip
    monkeypatch.setattr(IssuerThrottle, "rate", "2/min", raising=False)
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"patientId": "example", "profile": CONTRACT_EXAMPLE}}  # fmt: skip

    def call(issuer):
        token = _jwt(ehr_key, iss=issuer)
        return client.post(SERVICE, body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}").status_code  # fmt: skip

    assert [call(ISSUER), call(ISSUER), call(ISSUER)] == [200, 200, 429]
    assert call(other) == 200  # the same local user, another EHR: its own count


def test_a_rotated_key_file_is_read_again_without_a_restart(client, ehr_key, settings, tmp_path):
    import os

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"patientId": "example", "profile": CONTRACT_EXAMPLE}}  # fmt: skip

    def call(key):
        return client.post(SERVICE, body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {_jwt(key)}").status_code  # fmt: skip

    assert call(ehr_key) == 200
    rotated = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(rotated.public_key()))
    path = settings.CDS_HOOKS_ISSUERS[ISSUER]["jwks_file"]
    with open(path, "w") as keys:
        json.dump({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES384"}]}, keys)
    later = os.stat(path).st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))  # a new modification time, however fast the test
    assert call(rotated) == 200
    assert call(ehr_key) == 401
