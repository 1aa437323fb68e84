"""The API's authorisation matrix: every endpoint x anonymous / trainee / other trainee /
curator / staff, each cell asserted."""

import pytest

from board.cds.service import cds_cards_record
from board.snapshots import snapshot_create
from cases.services import case_create
from rules.models import Rule
from tests.factories import CONTRACT_EXAMPLE, token_client

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROLES = ["anonymous", "trainee", "other_trainee", "curator", "staff"]
CARD = "5f6c1c8e-1111-4000-8000-000000000001"
ANYONE = {role: 200 for role in ROLES}
SIGNED_IN = {"anonymous": 401, "trainee": 200, "other_trainee": 200, "curator": 200, "staff": 200}


def _signed_in(code):
    return {**{role: code for role in ROLES}, "anonymous": 401}


def _rule_payload(slug="api-rule"):
    rule = Rule.objects.get(slug="met-overexpression")
    return {
        "slug": slug,
        "title": "Rule written through the API",
        "kind": rule.kind,
        "status": "draft",
        "mechanism": rule.mechanism.slug,
        "strategy": None,
        "evidence_level": rule.evidence_level,
        "condition": rule.condition,
        "rationale": rule.rationale,
        "citations": rule.citations,
        "examples": rule.examples,
        "change_reason": "A rule written in the authorisation matrix.",
    }


# (name, method, path template, body factory, expected status per role)
MATRIX = [
    ("list cases", "get", "/api/v1/cases/", None, SIGNED_IN),
    ("create case", "post", "/api/v1/cases/", lambda: CONTRACT_EXAMPLE, _signed_in(201)),
    ("read case", "get", "/api/v1/cases/{code}/", None, SIGNED_IN),
    (
        "change case",
        "patch",
        "/api/v1/cases/{code}/",
        lambda: {"pik3ca": "wild_type", "version": 1},
        {"anonymous": 401, "trainee": 200, "other_trainee": 403, "curator": 403, "staff": 200},
    ),
    (
        "delete case",
        "delete",
        "/api/v1/cases/{code}/",
        None,
        {"anonymous": 401, "trainee": 204, "other_trainee": 403, "curator": 403, "staff": 204},
    ),
    ("case evaluation", "get", "/api/v1/cases/{code}/evaluation/", None, SIGNED_IN),
    ("list snapshots", "get", "/api/v1/cases/{code}/evaluations/", None, SIGNED_IN),
    ("take snapshot", "post", "/api/v1/cases/{code}/evaluations/", None, _signed_in(201)),
    ("evaluate", "post", "/api/v1/evaluate/", lambda: CONTRACT_EXAMPLE, SIGNED_IN),
    ("list rules", "get", "/api/v1/rules/", None, SIGNED_IN),
    ("read rule", "get", "/api/v1/rules/met-overexpression/", None, SIGNED_IN),
    (
        "create rule",
        "post",
        "/api/v1/rules/",
        _rule_payload,
        {"anonymous": 401, "trainee": 403, "other_trainee": 403, "curator": 201, "staff": 201},
    ),
    (
        "change rule",
        "patch",
        "/api/v1/rules/met-overexpression/",
        lambda: {
            "title": "MET receptor expression (API edit)",
            "version": Rule.objects.get(slug="met-overexpression").version,
            "change_reason": "An API edit in the authorisation matrix.",
        },
        {"anonymous": 401, "trainee": 403, "other_trainee": 403, "curator": 200, "staff": 200},
    ),
    (
        "replace case",
        "put",
        "/api/v1/cases/{code}/",
        lambda: {**CONTRACT_EXAMPLE, "pten": "lost", "version": 1},
        {"anonymous": 401, "trainee": 200, "other_trainee": 403, "curator": 403, "staff": 200},
    ),
    (
        "snapshot changes",
        "get",
        "/api/v1/cases/{code}/evaluations/{snapshot}/changes/",
        None,
        SIGNED_IN,
    ),
    (
        "delete rule",
        "delete",
        "/api/v1/rules/met-overexpression/?change_reason=superseded",
        None,
        {"anonymous": 401, "trainee": 403, "other_trainee": 403, "curator": 204, "staff": 204},
    ),
    ("list strategies", "get", "/api/v1/strategies/", None, SIGNED_IN),
    ("read strategy", "get", "/api/v1/strategies/t-dxd/", None, SIGNED_IN),
    ("read mechanism", "get", "/api/v1/mechanisms/her2-variants/", None, SIGNED_IN),
    ("read marker", "get", "/api/v1/markers/MUC4/", None, SIGNED_IN),
    (
        "token with wrong password",
        "post",
        "/api/v1/token/",
        lambda: {"username": "trainee1", "password": "not-the-password"},
        {role: 400 for role in ROLES},
    ),
    (
        "cds feedback",
        "post",
        "/cds-services/her2-trastuzumab-resistance/feedback",
        lambda: {
            "feedback": [
                {"card": CARD, "outcome": "accepted", "outcomeTimestamp": "2026-11-29T10:00:00Z"}
            ]
        },
        SIGNED_IN,
    ),
    ("list mechanisms", "get", "/api/v1/mechanisms/", None, SIGNED_IN),
    ("list references", "get", "/api/v1/references/", None, SIGNED_IN),
    ("read reference", "get", "/api/v1/references/Han2021/", None, SIGNED_IN),
    ("list markers", "get", "/api/v1/markers/", None, SIGNED_IN),
    ("schema", "get", "/api/schema/", None, ANYONE),
    ("swagger ui", "get", "/api/docs/", None, ANYONE),
    ("redoc", "get", "/api/redoc/", None, ANYONE),
    ("cds discovery", "get", "/cds-services", None, ANYONE),
    (
        "cds call",
        "post",
        "/cds-services/her2-trastuzumab-resistance",
        lambda: {
            "hook": "patient-view",
            "hookInstance": "4c9a1e2b-8f7d-4e6a-b5c3-2d1e0f9a8b7c",
            "context": {"patientId": "example", "profile": CONTRACT_EXAMPLE},
        },
        SIGNED_IN,
    ),
    ("health", "get", "/health/", None, ANYONE),
]


@pytest.fixture
def users(trainee, other_trainee, curator, staff):
    return {"trainee": trainee, "other_trainee": other_trainee, "curator": curator, "staff": staff}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_authorisation_matrix(role, name, method, path, body, expected, users, api_client):
    case = case_create(data=CONTRACT_EXAMPLE, user=users["trainee"])
    snapshot = snapshot_create(case=case, user=users["trainee"])
    cds_cards_record(
        cards=[{"uuid": CARD, "rule": "met-overexpression"}],
        knowledge_base_version="kb-test",
        hook_instance="h-1",
    )
    client = api_client if role == "anonymous" else token_client(users[role])
    kwargs = {"format": "json"}
    if body is not None:
        kwargs["data"] = body()
    response = getattr(client, method)(path.format(code=case.code, snapshot=snapshot.pk), **kwargs)
    assert response.status_code == expected[role], (name, role, response.content[:300])
