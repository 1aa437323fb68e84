"""A NUL character anywhere a request can carry one is a 400 naming where, on SQLite and on
PostgreSQL alike (PostgreSQL text cannot hold NUL; these answered 500 there)."""

import pytest

from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, form_data, token_client

pytestmark = pytest.mark.django_db

WEB = ["/cases/a%00b/", "/cases/a%00b/print/", "/knowledge/?q=a%00b", "/cases/?q=a%00b"]
ADMIN = ["/admin/cases/caseprofile/?q=a%00b", "/admin/rules/rule/?q=a%00b"]
API = [
    "/api/v1/cases/a%00b/",
    "/api/v1/cases/a%00b/evaluation/",
    "/api/v1/rules/a%00b/",
    "/api/v1/markers/a%00b/",
    "/api/v1/references/a%00b/",
    "/api/v1/cases/?code=a%00b",
]


@pytest.mark.parametrize("path", WEB + ADMIN)
def test_a_nul_in_a_page_address_or_query_is_a_400_that_says_so(client, staff, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("path", API)
def test_a_nul_in_an_api_address_or_query_is_a_json_400(staff, path):
    response = token_client(staff).get(path)
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


def test_a_nul_in_a_cookie_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    assert client.get("/").status_code == 400


def test_a_nul_in_a_form_field_is_refused_beside_the_field_and_nothing_is_stored(client, trainee):
    client.force_login(trainee)
    response = client.post("/cases/new/", {**form_data(CONTRACT_EXAMPLE), "notes": "a\x00b"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in " ".join(response.context["form"].errors["notes"])


def test_ordinary_addresses_still_answer(client, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    assert client.get(f"/cases/{case.code}/?x=%2500").status_code == 200
