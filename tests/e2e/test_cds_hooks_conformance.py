"""CDS Hooks 2.0 conformance pack: one test per SHALL or SHALL NOT requirement of the spec
that applies to a CDS Service, named by its id in the requirements sheet of the Inferno
Da Vinci CRD test kit (inferno-framework/davinci-crd-test-kit,
lib/davinci_crd_test_kit/requirements/cds-hooks_2.0_requirements.xlsx, the "Requirements"
sheet: rows whose actors include Service). Each docstring paraphrases its requirement; the
spec's own words are at https://cds-hooks.hl7.org/2.0/. Requirements that a deployment, not
this code, meets, and those about things this service never sends (suggestions, actions,
system actions), are in NOT_HERE with the reason; a test checks the pack covers every id.
"""

import json
import re
import sys
import uuid

import pytest

from cases.services import case_create
from tests.board.fhir_resources import bundle, disease_status, ihc, medication, observation
from tests.factories import CDS_SERVICE as SERVICE
from tests.factories import CONTRACT_EXAMPLE, cds_jwt

pytestmark = pytest.mark.django_db

# Every SHALL / SHALL NOT row of the sheet whose actors include a Service.
SERVICE_REQUIREMENTS = {
    1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 16, 29, 36, 54, 55, 56, 57, 59, 61, 74, 75, 80, 83, 85,
    87, 88, 89, 90, 92, 93, 95, 96, 98, 100, 103, 105, 107, 111, 115, 117, 119, 121, 124,
    125, 127, 128, 130, 131, 132, 133, 134, 135, 136, 138, 139, 141, 142, 144, 147, 168, 176,
    199, 201, 203, 208, 211, 213, 214, 216, 217, 218, 219, 220,
}  # fmt: skip
NOT_HERE = {
    2: "HTTPS is the deployment's: TLS ends at the proxy (deploy/haproxy.cfg, operating guide)",
    168: "TLS likewise (requirement 2)",
    75: "the service sends no systemActions (an optional array)",
    89: "a client's choice (how to use the indicator), nothing the service sends",
    92: "the service sends no suggestions",
    93: "the service sends no suggestions, so no selectionBehavior is due",
    95: "no suggestions, so no selectionBehavior",
    96: "no suggestions, so no selectionBehavior",
    111: "the service sends no source icon",
    117: "no suggestions", 119: "no suggestions", 121: "no suggestions", 124: "no suggestions",
    125: "no suggestions, so no actions", 127: "no actions", 128: "no actions",
    130: "no actions", 131: "no actions", 132: "no actions", 133: "no actions",
    134: "no actions", 135: "no actions",
    144: "the service's links are absolute, with no appContext",
    199: "the JWK Set is configured out of band (DJANGO_CDS_HOOKS_ISSUERS); jku is not used",
    211: "the service does not update cards it sent earlier",
    213: "a negotiation between the parties, not a behaviour of the code",
    214: "the service sends no extension elements",
}  # fmt: skip


@pytest.fixture
def discovery(client):
    answer = client.get("/cds-services")
    return answer, answer.json()["services"][0]


@pytest.fixture
def call(client, ehr_key, trainee):
    """A spec-shaped call signed with the EHR's JWT, about a stored case (so cards carry
    links), and its answer."""
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    body = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": "p1", "caseCode": case.code},
    }
    answer = client.post(SERVICE, body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {cds_jwt(ehr_key)}")  # fmt: skip
    assert answer.status_code == 200, answer.content
    return answer


def _cards(call):
    cards = call.json()["cards"]
    assert cards
    return cards


def _no_nulls_or_empties(value, path="") -> list[str]:
    found = []
    if value is None or value in ("", {}):
        found.append(path or "the body")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _no_nulls_or_empties(item, f"{path}.{key}")
    elif isinstance(value, list):
        if not value and not path.endswith("cards"):
            found.append(path)
        for index, item in enumerate(value):
            found += _no_nulls_or_empties(item, f"{path}[{index}]")
    return found


def test_every_service_requirement_is_tested_or_said_not_to_apply():
    tested = {int(name.split("_")[2]) for name in dir(sys.modules[__name__])
              if name.startswith("test_req_")}  # fmt: skip
    assert tested | set(NOT_HERE) == SERVICE_REQUIREMENTS
    assert not tested & set(NOT_HERE)


def test_req_001_requests_and_answers_are_json(discovery, call):
    """Data exchanged is JSON."""
    assert discovery[0]["Content-Type"].startswith("application/json")
    assert call["Content-Type"].startswith("application/json")


def test_req_003_no_element_is_null_or_empty(discovery, call):
    """No JSON element is null or empty, except an empty cards array."""
    assert _no_nulls_or_empties(discovery[0].json()) == []
    assert _no_nulls_or_empties(call.json()) == []


def test_req_004_discovery_is_at_cds_services(client):
    """The discovery endpoint is {baseURL}/cds-services."""
    assert client.get("/cds-services").status_code == 200


def test_req_005_discovery_answers_get_without_authentication(client):
    """Discovery is always available at {baseUrl}/cds-services with HTTP GET."""
    answer = client.get("/cds-services", HTTP_AUTHORIZATION="")
    assert answer.status_code == 200


def test_req_006_discovery_is_an_object_listing_services(discovery):
    """The discovery response is an object containing a list of services."""
    body = discovery[0].json()
    assert isinstance(body, dict) and isinstance(body["services"], list) and body["services"]


def test_req_007_each_service_names_its_hook(discovery):
    """Each service has `hook`, a string."""
    assert discovery[1]["hook"] == "patient-view"


def test_req_009_each_service_has_a_description(discovery):
    """Each service has `description`, a string."""
    assert isinstance(discovery[1]["description"], str) and discovery[1]["description"]


def test_req_010_each_service_has_an_id(discovery):
    """Each service has `id`, a string: the {id} of {baseUrl}/cds-services/{id}."""
    assert discovery[1]["id"] == SERVICE.rsplit("/", 1)[1]


def test_req_013_discovery_answers_200(discovery):
    """A successful discovery response is 200 OK."""
    assert discovery[0].status_code == 200


def test_req_016_the_service_is_at_cds_services_slash_its_id(discovery, call):
    """The service endpoint is {baseUrl}/cds-services/{service.id}."""
    assert f"/cds-services/{discovery[1]['id']}" == SERVICE


def test_req_029_prefetch_templates_are_in_discovery(discovery):
    """Prefetch templates are registered in the discovery response."""
    assert isinstance(discovery[1]["prefetch"], dict) and discovery[1]["prefetch"]


def test_req_036_each_prefetch_template_has_a_key(discovery):
    """Each prefetch template has a key identifying its data in the request."""
    for key, template in discovery[1]["prefetch"].items():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key) and isinstance(template, str)


def test_req_054_without_the_data_it_needs_the_service_answers_412(client, ehr_key):
    """Unable to obtain required data (no prefetch, no FHIR server), the answer is 412."""
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/1", "patientId": "p1"}}  # fmt: skip
    answer = client.post(SERVICE, body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {cds_jwt(ehr_key)}")  # fmt: skip
    assert answer.status_code == 412


def _tokens(discovery) -> list[str]:
    return [t for q in discovery[1]["prefetch"].values() for t in re.findall(r"\{\{.*?\}\}", q)]


def test_req_055_prefetch_tokens_are_delimited_by_double_braces(discovery):
    """Prefetch tokens are delimited by {{ and }}."""
    for template in discovery[1]["prefetch"].values():
        assert template.count("{{") == template.count("}}") >= 1


def test_req_056_tokens_name_only_context_fields_or_user_ids(discovery):
    """Tokens hold only a qualified context path or a user identifier."""
    users = {"userPractitionerId", "userPractitionerRoleId", "userPatientId", "userRelatedPersonId"}
    for token in _tokens(discovery):
        name = token[2:-2]
        assert name.startswith("context.") or name in users


def test_req_057_tokens_use_root_level_primitive_context_fields(discovery):
    """Only root-level primitive context fields are tokens (patient-view: userId,
    patientId, encounterId)."""
    for token in _tokens(discovery):
        assert token[2:-2] in {"context.userId", "context.patientId", "context.encounterId"}


def test_req_059_context_tokens_are_named_context_dot_field(discovery):
    """Context tokens are named `context.name-of-the-field`."""
    assert all(re.fullmatch(r"\{\{context\.[A-Za-z]+\}\}", t) for t in _tokens(discovery))


def test_req_061_the_service_presents_the_access_token_to_the_fhir_server():
    """The service presents the EHR's access token with each FHIR call."""
    from board.cds import fhir_server

    sent = {}

    class Recorder:
        def __init__(self, *, headers, **kwargs):
            sent.update(headers)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fhir_server.httpx, "Client", Recorder)
        patch.setattr(fhir_server, "_read", lambda client, url, deadline: (bundle(), ""))
        fhir_server.prefetch_fetch(base="http://127.0.0.1:9/fhir",
                                   authorization={"access_token": "t0k"},
                                   templates={"her2": "Observation?patient={{context.patientId}}"},
                                   context={"patientId": "p1"})  # fmt: skip
    assert sent["Authorization"] == "Bearer t0k"


def test_req_074_a_success_is_200_with_a_cards_array(call):
    """A successful response is 200 with an object holding a cards array."""
    assert call.status_code == 200 and isinstance(call.json()["cards"], list)


def test_req_080_each_card_has_a_unique_string_uuid(call):
    """Each card's uuid is a unique string."""
    uuids = [card["uuid"] for card in _cards(call)]
    assert all(isinstance(u, str) and uuid.UUID(u) for u in uuids)
    assert len(set(uuids)) == len(uuids)


def test_req_083_each_summary_is_a_string_under_140_characters(call):
    """Each card's summary is a string of fewer than 140 characters."""
    assert all(isinstance(c["summary"], str) and len(c["summary"]) < 140 for c in _cards(call))


def test_req_085_each_detail_is_markdown_without_html(call):
    """A card's detail is (GitHub Flavored) Markdown: curator text carries no raw HTML."""
    for card in _cards(call):
        assert isinstance(card["detail"], str) and "<" not in card["detail"]


def test_req_087_each_card_has_a_string_indicator(call):
    """Each card has an indicator, a string."""
    assert all(isinstance(c["indicator"], str) for c in _cards(call))


def test_req_088_indicators_are_info_warning_or_critical(call):
    """Indicator values are info, warning or critical."""
    assert {c["indicator"] for c in _cards(call)} <= {"info", "warning", "critical"}


def test_req_090_each_card_has_a_source_object(call):
    """Each card has a source object."""
    assert all(isinstance(c["source"], dict) for c in _cards(call))


def test_req_098_override_reasons_are_an_array_of_codings(call):
    """overrideReasons is an array of Coding objects."""
    for card in _cards(call):
        assert isinstance(card["overrideReasons"], list)
        assert all({"code", "system"} <= set(reason) for reason in card["overrideReasons"])


def test_req_100_each_override_reason_has_a_display(call):
    """Every override reason's Coding has a display."""
    for card in _cards(call):
        assert all(r["display"] for r in card["overrideReasons"])


def test_req_103_links_are_an_array_of_link_objects(call):
    """links is an array of Link objects."""
    for card in _cards(call):
        assert isinstance(card["links"], list)
        assert all({"label", "url", "type"} <= set(link) for link in card["links"])


def test_req_105_each_source_has_a_string_label(call):
    """A Source's label is a required string."""
    assert all(isinstance(c["source"]["label"], str) and c["source"]["label"] for c in _cards(call))


def test_req_107_a_source_url_is_absolute(call):
    """A Source's url is an absolute URL."""
    for card in _cards(call):
        if "url" in card["source"]:
            assert re.match(r"https?://", card["source"]["url"])


def test_req_115_a_source_topic_is_a_coding(call):
    """A Source's topic is a Coding."""
    for card in _cards(call):
        assert {"system", "code"} <= set(card["source"]["topic"])


def test_req_136_override_reasons_have_human_readable_display_text(call):
    """Override reasons carry human-readable text in display."""
    for card in _cards(call):
        assert all(len(r["display"].split()) >= 1 and r["display"] != r["code"]
                   for r in card["overrideReasons"])  # fmt: skip


def test_req_138_each_link_has_a_string_label(call):
    """A Link's label is a required string."""
    assert all(isinstance(link["label"], str) for c in _cards(call) for link in c["links"])


def test_req_139_each_link_has_a_url(call):
    """A Link's url is a required URL."""
    assert all(re.match(r"https?://", link["url"]) for c in _cards(call) for link in c["links"])


def test_req_141_each_link_has_a_string_type(call):
    """A Link's type is a required string."""
    assert all(isinstance(link["type"], str) for c in _cards(call) for link in c["links"])


def test_req_142_link_types_are_absolute_or_smart(call):
    """A Link's type is absolute or smart."""
    assert {link["type"] for c in _cards(call) for link in c["links"]} <= {"absolute", "smart"}


def test_req_147_absolute_links_carry_no_app_context(call):
    """An absolute link has no appContext."""
    for card in _cards(call):
        for link in card["links"]:
            assert link["type"] != "absolute" or "appContext" not in link


def test_req_176_the_client_is_authenticated_by_a_signed_jwt(client):
    """Without mutual TLS, clients are authenticated by a signed JWT: an unsigned bearer
    token that is not a JWT is refused."""
    answer = client.post(SERVICE, {}, content_type="application/json",
                         HTTP_AUTHORIZATION="Bearer not-a-jwt")  # fmt: skip
    assert answer.status_code == 401


def _claims():
    import time

    now = int(time.time())
    return {"iss": "https://ehr.example.org", "aud": "http://testserver" + SERVICE,
            "exp": now + 60, "iat": now, "jti": str(uuid.uuid4())}  # fmt: skip


def test_req_201_an_unsigned_none_algorithm_jwt_is_refused(client, ehr_key):
    """JWTs signed with the none algorithm are not accepted."""
    import jwt

    token = jwt.encode(_claims(), None, algorithm="none")
    answer = client.post(SERVICE, {}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert answer.status_code == 401


def test_req_203_a_symmetrically_signed_jwt_is_refused(client, ehr_key):
    """JWTs signed with a symmetric algorithm are not accepted."""
    import jwt

    token = jwt.encode(_claims(), "a-shared-secret-of-32-bytes-or-more!!", algorithm="HS256",
                       headers={"kid": "k1"})  # fmt: skip
    answer = client.post(SERVICE, {}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert answer.status_code == 401


def test_req_208_cors_is_supported_for_browser_clients(client, settings):
    """Browser-based clients need CORS: an allowed origin gets its preflight answered."""
    settings.CORS_ALLOWED_ORIGINS = ["https://sandbox.example.org"]
    answer = client.options(SERVICE, HTTP_ORIGIN="https://sandbox.example.org",
                            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")  # fmt: skip
    assert answer["Access-Control-Allow-Origin"] == "https://sandbox.example.org"


def test_req_216_every_coding_has_a_string_code(call):
    """A Coding's code is a required string."""
    codings = [c["source"]["topic"] for c in _cards(call)]
    codings += [r for c in _cards(call) for r in c["overrideReasons"]]
    assert all(isinstance(coding["code"], str) and coding["code"] for coding in codings)


def test_req_217_every_coding_has_a_string_system(call):
    """A Coding's system is a required string."""
    codings = [c["source"]["topic"] for c in _cards(call)]
    codings += [r for c in _cards(call) for r in c["overrideReasons"]]
    assert all(isinstance(coding["system"], str) and coding["system"] for coding in codings)


def test_req_218_a_coding_code_is_a_string_even_when_numeric_looking(call):
    """A Coding's code is sent as a string (the sheet lists this twice: 216 and 218)."""
    assert all(isinstance(r["code"], str) for c in _cards(call) for r in c["overrideReasons"])


def test_req_219_override_reason_displays_are_strings(call):
    """Display is required, a string, on the override reasons the service sends."""
    assert all(isinstance(r["display"], str) for c in _cards(call) for r in c["overrideReasons"])


def test_req_220_a_topic_display_when_sent_is_a_string(call):
    """A source topic's display is optional; when sent, a string."""
    for card in _cards(call):
        assert isinstance(card["source"]["topic"].get("display", ""), str)


def test_the_pack_reads_fhir_shaped_prefetch_too(client, ehr_key):
    """Not a sheet row: the same checks hold for a call answered from FHIR resources."""
    m1 = {"coding": [{"system": "http://snomed.info/sct", "code": "1229903009"}]}
    resources = bundle(
        ihc("LA11843-2"),
        medication("224905", start="2023-01-01"),
        disease_status("271299001", id="s1", date="2023-09-01"),
        observation("21907-1", m1, id="m1"),
    )
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/1", "patientId": "p1"},
            "prefetch": {"all": resources}}  # fmt: skip
    answer = client.post(SERVICE, json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {cds_jwt(ehr_key)}")  # fmt: skip
    assert answer.status_code == 200
    assert _no_nulls_or_empties(answer.json()) == []
