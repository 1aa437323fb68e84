"""The OpenAPI schema tells the truth: stable operation ids recorded in the API changelog
(docs/api-changelog.md), every error documented in one problem-details shape, request
models that match what the server requires, and real answers in that shape."""

import re
from pathlib import Path

import pytest
from django.test import Client

from config.api_operations import OPERATIONS
from tests.factories import CONTRACT_EXAMPLE, token_client, user_create
from tests.openapi_check import SchemaMismatch, response_check

CHANGELOG = Path(__file__).resolve().parents[2] / "docs" / "api-changelog.md"
PROBLEM = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def document():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def _changelog_replayed() -> set[str]:
    """The operation ids the API changelog leaves, read oldest release first."""
    section = CHANGELOG.read_text()
    releases = re.split(r"\n- \*\*", section)[1:]
    ids: set[str] = set()
    for release in reversed(releases):
        for kind, names in re.findall(r"- (added|removed|renamed): (.+)", release):
            if kind == "renamed":
                for old, new in re.findall(r"`(\w+)` → `(\w+)`", names):
                    assert old in ids, f"renamed {old}, which no release added"
                    ids = (ids - {old}) | {new}
            elif kind == "added":
                ids |= set(re.findall(r"`(\w+)`", names))
            else:
                ids -= set(re.findall(r"`(\w+)`", names))
    return ids


def test_every_operation_is_named_tagged_and_described_from_the_table(document):
    operations = dict(_operations(document))
    assert set(operations) == set(OPERATIONS), "config.api_operations must list each operation"
    declared_tags = {tag["name"] for tag in document["tags"]}
    for key, operation in operations.items():
        named = OPERATIONS[key]
        assert operation["operationId"] == named.id
        assert operation["tags"] == [named.tag] and named.tag in declared_tags
        assert operation["summary"] and operation["description"], key
    ids = [operation["operationId"] for operation in operations.values()]
    assert len(ids) == len(set(ids))


def test_operation_ids_match_the_readme_changelog(document):
    current = {operation["operationId"] for _, operation in _operations(document)}
    recorded = _changelog_replayed()
    assert recorded == current, (
        f"Operation ids changed without a line in the API changelog (docs/api-changelog.md): "
        f"new {sorted(current - recorded)}, gone {sorted(recorded - current)}"
    )


def test_every_error_is_documented_in_the_problem_shape_with_an_example(document):
    for key, operation in _operations(document):
        responses = operation["responses"]
        method = key.split()[0]
        expected = {"400", "429", "503"}
        if method in ("PUT", "PATCH"):
            expected |= {"409", "413", "415"}
        if "{" in key:
            expected.add("404")
        assert expected <= set(responses), key
        for code, response in responses.items():
            if code[0] not in "45":
                continue
            media = response["content"]["application/problem+json"]
            ref = media["schema"]["$ref"]
            # A stale update's 409 carries the current version; a review decision's names
            # the revision that moved on in its detail.
            stale = code == "409" and method in ("PUT", "PATCH")
            assert ref == ("#/components/schemas/StaleVersionProblem" if stale else PROBLEM), key
            assert media["examples"]["problem"]["value"]["status"] == int(code)
        assert "Retry-After" in responses["429"]["headers"], key
        assert "Retry-After" in responses["503"]["headers"], key
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "errors"}
    stale = document["components"]["schemas"]["StaleVersionProblem"]
    assert "current_version" in stale["required"]


def test_update_request_models_require_the_version_and_creates_do_not(document):
    schemas = document["components"]["schemas"]
    for name in ("CaseProfileUpdateRequest", "PatchedCaseProfileUpdateRequest"):
        assert "version" in schemas[name]["required"], name
    for name in ("RuleUpdateRequest", "PatchedRuleUpdateRequest"):
        assert {"version", "change_reason"} <= set(schemas[name]["required"]), name
    assert "version" not in schemas["CaseProfileRequest"]["properties"]
    patch = document["paths"]["/api/v1/cases/{code}/"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/PatchedCaseProfileUpdateRequest")


def test_the_token_operation_is_anonymous_and_takes_json_only(document):
    operation = document["paths"]["/api/v1/token/"]["post"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert operation["security"] == []  # no authentication: generated clients ask for none
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Token"
    )


def test_nullable_fields_and_enums_are_declared_as_they_are(document):
    schemas = document["components"]["schemas"]
    assert schemas["Snapshot"]["properties"]["created_by"]["nullable"] is True
    assert schemas["Evaluation"]["properties"]["her2_status"] == {
        "$ref": "#/components/schemas/Her2StatusEnum"
    }
    age_band = schemas["CaseProfile"]["properties"]["age_band"]
    assert "nullable" not in age_band or "type" in age_band
    assert {"$ref": "#/components/schemas/NullEnum"} in age_band["oneOf"]
    discovery = document["paths"]["/cds-services"]["get"]["responses"]["200"]
    assert discovery["content"]["application/json"]["schema"]["$ref"].endswith("/CdsDiscovery")
    assert document["servers"][0]["url"]


@pytest.mark.django_db
def test_the_request_example_is_the_contract_profile_and_is_accepted(document, trainee):
    operation = document["paths"]["/api/v1/evaluate/"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    example = next(iter(examples.values()))["value"]
    assert example == CONTRACT_EXAMPLE
    assert (
        token_client(trainee).post("/api/v1/evaluate/", example, format="json").status_code == 200
    )


@pytest.mark.django_db
def test_the_served_schema_names_the_server_it_is_served_from():
    import json

    response = Client().get("/api/schema/?format=json")
    document = json.loads(response.content)
    assert document["servers"][0]["url"] == "http://testserver"


# Real answers, in the shape the schema documents (the conftest checks each against it too).


@pytest.mark.django_db
def test_a_stale_update_answers_409_with_the_current_version(trainee):
    api = token_client(trainee)
    case = api.post("/api/v1/cases/", CONTRACT_EXAMPLE, format="json").json()
    api.patch(f"/api/v1/cases/{case['code']}/", {"pten": "lost", "version": 1}, format="json")
    stale = api.patch(
        f"/api/v1/cases/{case['code']}/", {"pten": "retained", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    body = stale.json()
    assert body["current_version"] == 2 and body["type"].endswith(":stale-version")
    assert body["status"] == 409 and body["errors"] == {}


@pytest.mark.django_db
def test_errors_outside_field_validation_have_the_same_shape(trainee, settings):
    api = token_client(trainee)
    unsupported = api.post("/api/v1/evaluate/", "her2_ihc=3+", content_type="text/plain")
    assert unsupported.status_code == 415 and unsupported.json()["title"]
    past_the_end = api.get("/api/v1/references/?page=999")
    assert past_the_end.status_code == 404 and past_the_end.json()["status"] == 404
    anonymous = Client().get("/api/v1/cases/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    assert anonymous.json()["detail"]
    settings.BODY_LIMITS = [("/api/", 100)]
    too_large = api.post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json")
    assert too_large.status_code == 413
    assert too_large["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_throttled_request_says_when_to_retry(monkeypatch):
    from core.throttling import UserThrottle

    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"anon": "100/min", "user": "2/min"})
    api = token_client(user_create("busy", "trainee"))
    answers = [api.get("/api/v1/markers/") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert answers[-1].json()["status"] == 429


@pytest.mark.django_db
def test_a_deleted_authors_snapshot_shows_no_author(trainee, curator):
    api = token_client(trainee)
    code = api.post("/api/v1/cases/", CONTRACT_EXAMPLE, format="json").json()["code"]
    reader = token_client(curator)
    assert reader.post(f"/api/v1/cases/{code}/evaluations/").status_code == 201
    curator.delete()
    snapshots = api.get(f"/api/v1/cases/{code}/evaluations/")
    assert snapshots.json()["results"][0]["created_by"] is None


@pytest.mark.django_db
def test_the_schema_check_catches_an_undocumented_answer(trainee):
    from django.http import HttpResponse, JsonResponse

    real = token_client(trainee).get("/api/v1/markers/")
    request = real.wsgi_request
    with pytest.raises(SchemaMismatch):
        response_check(request, HttpResponse(status=418))
    with pytest.raises(SchemaMismatch):
        response_check(request, JsonResponse([{"code": 1}], safe=False))
    response_check(request, real)  # the real answer passes


def test_the_schema_states_what_the_server_enforces(document):
    paths = document["paths"]
    assert paths["/cds-services"]["get"]["security"] == []
    (page_size,) = [p for p in paths["/api/v1/cases/"]["get"]["parameters"]
                    if p["name"] == "page_size"]  # fmt: skip
    assert page_size["schema"]["minimum"] == 1 and page_size["schema"]["maximum"] == 200
    schemas = document["components"]["schemas"]
    assert schemas["CaseProfileRequest"]["additionalProperties"] is False
    reader = paths["/api/v1/fhir/profile/"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/fhir+json"} <= set(reader)
    kinds = {branch["type"] for branch in reader["application/json"]["schema"]["oneOf"]}
    assert kinds == {"object", "array"}
    assert all("406" in op["responses"] for item in paths.values() for op in item.values())


def test_an_unknown_field_and_an_unacceptable_accept_are_refused_as_documented(trainee):
    api = token_client(trainee)
    unknown = api.post("/api/v1/evaluate/", {**CONTRACT_EXAMPLE, "mrn": "x"}, format="json")
    assert unknown.status_code == 400 and "mrn" in unknown.json()["errors"]
    assert api.get("/api/v1/cases/", HTTP_ACCEPT="text/csv").status_code == 406
