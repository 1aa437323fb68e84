"""API token authentication (core.authentication): the same user and token as DRF's own
lookup, in one query; unknown keys and inactive users answer 401 as DRF words them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.selectors import token_user_get
from tests.factories import token_client, user_create

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_token_and_its_user_are_those_drf_reads(trainee, django_assert_num_queries):
    Token.objects.create(user=trainee)
    expected = Token.objects.select_related("user").get(user=trainee)
    with django_assert_num_queries(1):
        user, token = token_user_get(key=expected.key)
    assert _fields(user) == _fields(expected.user)
    assert _fields(token) == _fields(expected)
    assert token.user is user and user.get_all_permissions() == trainee.get_all_permissions()
    assert token_user_get(key="0" * 40) is None


def test_a_token_client_is_the_user_it_belongs_to(trainee):
    response = token_client(trainee).get("/api/v1/cases/")
    assert response.status_code == 200


@pytest.mark.parametrize("key", ["0" * 40, "nul\x00inside", "é" * 3])
def test_an_unknown_token_answers_401(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Invalid token")


def test_an_inactive_users_token_answers_401():
    user = user_create("gone", "trainee", is_active=False)
    response = token_client(user).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."
