"""API token authentication (core.authentication): the same user and token as knox's own
lookup, in one query; unknown keys and inactive users answer 401 as DRF words them; and the
worker's memory forgets a change at once where it was made."""

import pytest
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.auth_memory import token_user_get
from tests.factories import token_client, user_create

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_token_and_its_user_are_those_drf_reads(trainee, django_assert_num_queries):
    _, text = AuthToken.objects.create(user=trainee)
    expected = AuthToken.objects.select_related("user").get(user=trainee)
    with django_assert_num_queries(1):
        user, token = token_user_get(digest=hash_token(text))
    assert _fields(user) == _fields(expected.user)
    assert _fields(token) == _fields(expected)
    assert token.user is user and user.get_all_permissions() == trainee.get_all_permissions()
    assert token_user_get(digest=hash_token("0" * 64)) is None


def test_a_token_client_is_the_user_it_belongs_to(trainee):
    response = token_client(trainee).get("/api/v1/cases/")
    assert response.status_code == 200


@pytest.mark.parametrize("key", ["0" * 40, "0" * 64, "nul\x00inside", "é" * 3, "f" * 5000])
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


def test_a_busy_client_costs_one_token_query_per_recheck_interval(
    trainee, settings, django_assert_num_queries
):
    client = token_client(trainee)
    # 1 token and user, 2 permissions, 3-4 the throttle's counter, 5 the page.
    with django_assert_num_queries(5):
        assert client.get("/api/v1/cases/").status_code == 200
    # Within AUTH_RECHECK_SECONDS: no token or permissions query (and the throttle spends
    # its lease); 1 the page.
    with django_assert_num_queries(1):
        assert client.get("/api/v1/cases/").status_code == 200
    settings.AUTH_RECHECK_SECONDS = 0
    # The interval over: the token and its user, and the permissions, are read again.
    with django_assert_num_queries(3):
        assert client.get("/api/v1/cases/").status_code == 200


def test_a_deleted_token_is_refused_at_once_by_the_worker_that_deleted_it(trainee):
    client = token_client(trainee)
    assert client.get("/api/v1/cases/").status_code == 200
    AuthToken.objects.filter(user=trainee).delete()
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_token_deleted_from_the_admins_list_is_refused_at_once(trainee):
    from django.contrib import admin

    client = token_client(trainee)
    assert client.get("/api/v1/cases/").status_code == 200
    token_admin = admin.site._registry[AuthToken]
    token_admin.delete_queryset(None, AuthToken.objects.filter(user=trainee))
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_deactivated_user_is_refused_at_once_by_the_worker_that_saved_it(trainee):
    client = token_client(trainee)
    assert client.get("/api/v1/cases/").status_code == 200
    trainee.is_active = False
    trainee.save()
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_change_this_worker_did_not_see_is_refused_once_the_interval_is_over(trainee, settings):
    client = token_client(trainee)
    assert client.get("/api/v1/cases/").status_code == 200
    # Another worker's change, as this one sees it: no signal here (an UPDATE).
    type(trainee).objects.filter(pk=trainee.pk).update(is_active=False)
    assert client.get("/api/v1/cases/").status_code == 200  # remembered, for now
    settings.AUTH_RECHECK_SECONDS = 0
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_withdrawn_permission_is_refused_at_once_by_the_worker_that_withdrew_it(trainee):
    client = token_client(trainee)
    assert client.get("/api/v1/cases/").status_code == 200
    trainee.groups.clear()  # no save of the user: a membership change (m2m_changed)
    assert client.get("/api/v1/cases/").status_code == 403
