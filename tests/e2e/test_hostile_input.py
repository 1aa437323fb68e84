"""A hostile-input corpus against the form, the API and import: nothing stored, no 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseProfile
from tests.factories import CONTRACT_EXAMPLE, token_client

pytestmark = pytest.mark.django_db

IDENTIFIER_NOTES = [
    "Mrs. Kowalska",
    "born 12/03/1961",
    "seen 3 March 2024",
    "aged 93",
    "+38-050-926-42-34",
    "SSN 123-45-6789",
    "mail someone@example.org",
    "https://hospital.example/x",
    "from 10.1.2.3",
    "MRN 4471",
    "account no. 88",
    "licence number D12",
    "serial no 77A1",
    "1HGCM82633A004352",
    "near 40022",
    "Pryvokzalna st. 31",
    "record 12345678",
    "ＭＲＮ ４４７１",  # full-width look-alikes
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
]
WRONG_VALUES = [
    {"setting": ["metastatic"]},
    {"setting": {"$ne": "x"}},
    {"her2_ihc": 3},
    {"brain_metastases": "true"},
    {"her2_positive_fraction": "50"},
    {"her2_positive_fraction": 10**30},
    {"prior_therapies": "trastuzumab"},
    {"prior_therapies": [["trastuzumab"]]},
    {"markers": {"MUC4": {"a": 1}}},
    {"markers": {"'; DROP TABLE cases_caseprofile; --": "high"}},
    {"notes": "x" * 5000},
    {"notes": 12},
    {"setting": "metastatic' OR '1'='1"},
    {"her2_status": "positive"},
    {"__proto__": {"admin": True}},
    {"code": "TB-000000"},
]


@pytest.fixture
def api(trainee):
    return token_client(trainee)


@pytest.mark.parametrize("notes", IDENTIFIER_NOTES)
def test_api_refuses_identifiers_and_markup_in_notes(api, notes):
    response = api.post("/api/v1/cases/", {**CONTRACT_EXAMPLE, "notes": notes}, format="json")
    assert response.status_code == 400
    assert CaseProfile.objects.count() == 0


@pytest.mark.parametrize("change", WRONG_VALUES, ids=[str(i) for i in range(len(WRONG_VALUES))])
def test_api_refuses_wrong_types_and_payloads(api, change):
    response = api.post("/api/v1/cases/", {**CONTRACT_EXAMPLE, **change}, format="json")
    assert response.status_code == 400
    assert CaseProfile.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100000 + "]" * 100000,
        '{"a":' * 50000 + "1" + "}" * 50000,
        "\x00\x01\x02",
        '{"setting": "metastatic", "setting": "early"',
        json.dumps({"notes": "x" * (2 * 1024 * 1024)}),
    ],
    ids=["deep-array", "deep-object", "binary", "truncated", "oversized"],
)
def test_api_answers_400_or_413_to_hostile_bodies(api, body):
    response = api.generic("POST", "/api/v1/cases/", body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert CaseProfile.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/rules/", {"title": "x\u0000", "condition": "her2_ihc == '3+'"}),
        ("/api/v1/evaluate/", {"setting\u0000": "metastatic"}),
    ],
)
def test_nul_anywhere_in_a_json_body_is_refused_not_a_server_error(api, staff, path, body):
    # PostgreSQL cannot store NUL in text or JSON keys; the parser refuses it for every field.
    api.force_authenticate(staff)
    response = api.post(path, body, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("notes", IDENTIFIER_NOTES)
def test_the_form_refuses_them_too(client, trainee, notes):
    client.force_login(trainee)
    response = client.post(
        "/cases/new/",
        {"setting": "metastatic", "trastuzumab_response": "naive", "her2_ihc": "3+",
         "her2_ish": "not_done", "her2_heterogeneity": "unknown", "er": "unknown", "pr": "unknown",
         "pik3ca": "unknown", "pten": "unknown", "tumour_site": "breast", "notes": notes},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors
    assert CaseProfile.objects.count() == 0


@pytest.mark.parametrize("setting", ["metastatic<script>", "' OR 1=1 --", "x" * 10000])
def test_the_form_refuses_wrong_choice_values(client, trainee, setting):
    client.force_login(trainee)
    response = client.post(
        "/cases/new/", {"setting": setting, "trastuzumab_response": "naive", "her2_ihc": "3+"}
    )
    assert response.status_code == 200
    assert CaseProfile.objects.count() == 0


def test_an_import_with_hostile_cells_stores_nothing(client, trainee):
    client.force_login(trainee)
    rows = ["setting,trastuzumab_response,her2_ihc,notes,MUC4"]
    rows += [f'metastatic,naive,3+,"{n}",' for n in IDENTIFIER_NOTES if '"' not in n]
    rows += ["metastatic<script>,naive,3+,,", 'metastatic,naive,3+,,=HYPERLINK("x")']
    upload = SimpleUploadedFile("hostile.csv", "\n".join(rows).encode(), content_type="text/csv")
    response = client.post("/cohort/", {"file": upload, "action": "import"})
    assert response.status_code == 200
    assert len(response.context["report"]) >= len(IDENTIFIER_NOTES) - 1
    page = response.content.decode()
    assert "<script>" not in page and "Kowalska" not in page
    assert CaseProfile.objects.count() == 0


def test_a_binary_upload_is_refused_cleanly(client, trainee):
    client.force_login(trainee)
    upload = SimpleUploadedFile(
        "cohort.xlsx", b"PK\x03\x04 not really excel", content_type="application/octet-stream"
    )
    response = client.post("/cohort/", {"file": upload, "action": "import"})
    assert response.status_code == 200
    assert "could not be read" in str(response.context["form"].errors["file"])
    assert CaseProfile.objects.count() == 0


def test_sql_and_markup_in_search_and_filters_are_harmless(client, trainee):
    client.force_login(trainee)
    for params in ({"q": "'; DROP TABLE rules_rule; --"}, {"q": "<script>alert(1)</script>"}):
        page = client.get("/knowledge/", params)
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.content.decode()
    assert client.get("/cases/", {"her2_status": "' OR 1=1", "page": "-1"}).status_code == 200
    from rules.models import Rule

    assert Rule.objects.count() >= 35
