"""CDS Hooks 2.0: discovery, calls with a profile or FHIR prefetch, 412, and feedback."""

import pytest

from board.models import CdsFeedback
from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, token_client

pytestmark = pytest.mark.django_db
SERVICE = "/cds-services/her2-trastuzumab-resistance"


def _observation(loinc, value, **extra):
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "valueCodeableConcept": value,
        **extra,
    }


def _coded(code, display):
    return {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]}


PIK3CA_PRESENT = _observation(
    "69548-6",
    _coded("LA9633-4", "Present"),
    component=[
        {
            "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": "http://www.genenames.org/geneId",
                        "code": "HGNC:8975",
                        "display": "PIK3CA",
                    }
                ]
            },
        }
    ],
)


@pytest.fixture
def api(trainee):
    return token_client(trainee)


def _call(api, context, prefetch=None):
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": context,
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return api.post(SERVICE, body, format="json")


def test_discovery_lists_the_service_with_its_prefetch(api_client):
    (service,) = api_client.get("/cds-services").json()["services"]
    assert service["id"] == "her2-trastuzumab-resistance"
    assert service["hook"] == "patient-view"
    assert service["title"] and "Not for clinical decisions" in service["description"]
    assert "85319-2" in service["prefetch"]["her2Observations"]


def test_a_profile_in_context_answers_cards(api):
    response = _call(api, {"patientId": "example", "profile": CONTRACT_EXAMPLE})
    assert response.status_code == 200
    cards = response.json()["cards"]
    pi3k = next(c for c in cards if "alpelisib" in c["summary"])
    assert len(pi3k["summary"]) <= 140
    assert pi3k["indicator"] == "info"
    assert "Cataldo et al., 2023" in pi3k["detail"]
    assert "`pik3ca` = mutated" in pi3k["detail"]
    assert "Research and training use only" in pi3k["detail"]
    assert pi3k["source"]["url"] == "https://doi.org/10.15421/022449"
    muc4 = next(c for c in cards if "MUC4" in c["summary"])
    assert muc4["indicator"] == "warning"


def test_fhir_observations_in_prefetch_are_read_as_mcode(api):
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": _observation("85319-2", {"text": "2+"})},
            {"resource": _observation("85318-4", _coded("LA6576-8", "Positive (amplified)"))},
            {"resource": _observation("85337-4", _coded("LA6576-8", "Positive"))},
            {"resource": _observation("85339-0", _coded("LA6577-6", "Negative"))},
        ],
    }
    context = {"profile": {"setting": "metastatic", "trastuzumab_response": "acquired_resistance"}}
    response = _call(api, context, {"her2Observations": bundle, "pik3caVariant": PIK3CA_PRESENT})
    assert response.status_code == 200
    summaries = [c["summary"] for c in response.json()["cards"]]
    assert any("alpelisib" in s for s in summaries)  # PIK3CA present and HER2 2+ amplified
    assert any("endocrine" in s.lower() for s in summaries)  # ER positive


def test_a_stored_case_gets_a_link_to_its_page(api, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    cards = _call(api, {"caseCode": case.code}).json()["cards"]
    assert cards[0]["links"][0]["url"].endswith(f"/cases/{case.code}/")


def test_412_when_the_service_lacks_what_it_needs(api):
    response = _call(api, {"patientId": "example"}, {"her2Observations": None})
    assert response.status_code == 412
    assert "her2_ihc" in response.json()["detail"]


def test_invalid_fhir_is_a_400_naming_the_prefetch_key(api):
    response = _call(
        api,
        {"profile": {"setting": "metastatic", "trastuzumab_response": "naive", "her2_ihc": "3+"}},
        {"her2Observations": {"resourceType": "Observation", "code": {}}},
    )
    assert response.status_code == 400
    assert "her2Observations" in response.json()["prefetch"][0]


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
        {"feedback": [{"card": card["uuid"], "outcome": "overridden",
                       "overrideReason": {"userComment": "Mrs. Kowalska declined"},
                       "outcomeTimestamp": "2026-11-29T10:00:00Z"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "Kowalska" not in response.content.decode()
    assert CdsFeedback.objects.count() == 0


def test_feedback_for_an_unknown_card_is_404(api):
    response = api.post(
        f"{SERVICE}/feedback",
        {"feedback": [{"card": "5f6c1c8e-0000-4000-8000-000000000000", "outcome": "accepted",
                       "outcomeTimestamp": "2026-11-29T10:00:00Z"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 404


def test_cards_come_strongest_evidence_first_with_their_caveats(api):
    cards = _call(api, {"profile": CONTRACT_EXAMPLE}).json()["cards"]
    assert cards[0]["summary"].startswith("Metastatic disease after trastuzumab: T-DM1")
    (alpelisib,) = [c for c in cards if "alpelisib" in c["summary"]]
    assert (
        "Caveat: The paper compared PIK3CA-mutant with wild-type cell lines" in alpelisib["detail"]
    )
