"""API tokens (issue #33, L11): stored as digests, never shown again; they die after an idle
timeout, after a lifetime, and when their user's password changes; tokens issued before
knox keep working, hashed."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.services import api_token_issue
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _client(text: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return client


def _table_text() -> str:
    """Every value of every row of the token table, as one string."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")  # noqa: S608
        return repr(cursor.fetchall())


def test_the_database_keeps_a_digest_never_the_token(trainee):
    text = api_token_issue(user=trainee)
    assert _client(text).get("/api/v1/cases/").status_code == 200
    stored = _table_text()
    assert text not in stored and hash_token(text) in stored


def test_a_token_obtained_with_a_password_says_when_it_expires(api_client, trainee, settings):
    answer = api_client.post(
        "/api/v1/token/", {"username": trainee.username, "password": PASSWORD}, format="json"
    ).json()
    expiry = timezone.datetime.fromisoformat(answer["expiry"])
    expected = timezone.now() + settings.API_TOKEN_IDLE_TIMEOUT
    assert abs(expiry - expected) < timedelta(minutes=1)
    assert _client(answer["token"]).get("/api/v1/cases/").status_code == 200


def test_each_program_signing_in_gets_its_own_token_up_to_the_cap(api_client, trainee, settings):
    settings.API_TOKENS_PER_USER = 3
    login = {"username": trainee.username, "password": PASSWORD}
    texts = [
        api_client.post("/api/v1/token/", login, format="json").json()["token"] for _ in range(4)
    ]
    assert len(set(texts)) == 4
    answers = [_client(text).get("/api/v1/cases/").status_code for text in texts]
    assert answers == [401, 200, 200, 200]  # the oldest made room


def test_the_account_pages_new_token_ends_the_others(client, trainee):
    first = api_token_issue(user=trainee, replace=False)
    client.force_login(trainee)
    page = client.get("/accounts/token/").content.decode()
    assert "You have 1 token." in page and first not in page
    new = client.post("/accounts/token/").context["new_key"]
    assert _client(first).get("/api/v1/cases/").status_code == 401
    assert _client(new).get("/api/v1/cases/").status_code == 200


def test_an_idle_token_expires_and_is_deleted(trainee):
    text = api_token_issue(user=trainee)
    AuthToken.objects.filter(user=trainee).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _client(text).get("/api/v1/cases/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=trainee).exists()


def test_each_use_moves_the_idle_expiry_on(trainee, settings):
    text = api_token_issue(user=trainee)
    soon = timezone.now() + timedelta(minutes=5)
    AuthToken.objects.filter(user=trainee).update(expiry=soon)
    assert _client(text).get("/api/v1/cases/").status_code == 200
    moved = AuthToken.objects.get(user=trainee).expiry
    assert moved > timezone.now() + settings.API_TOKEN_IDLE_TIMEOUT - timedelta(minutes=1)


def test_use_never_moves_the_expiry_past_the_lifetime(trainee, settings):
    text = api_token_issue(user=trainee)
    issued = timezone.now() - settings.API_TOKEN_LIFETIME + timedelta(hours=1)
    AuthToken.objects.filter(user=trainee).update(
        created=issued, expiry=timezone.now() + timedelta(minutes=5)
    )
    assert _client(text).get("/api/v1/cases/").status_code == 200
    assert AuthToken.objects.get(user=trainee).expiry == issued + settings.API_TOKEN_LIFETIME
    AuthToken.objects.filter(user=trainee).update(created=issued - timedelta(hours=2))
    AuthToken.objects.filter(user=trainee).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _client(text).get("/api/v1/cases/").status_code == 401


def test_a_password_change_ends_the_users_tokens_at_once(trainee, educator):
    text = api_token_issue(user=trainee)
    other = api_token_issue(user=educator)
    assert _client(text).get("/api/v1/cases/").status_code == 200
    trainee.set_password("a-new-long-passphrase")
    trainee.save()
    assert _client(text).get("/api/v1/cases/").status_code == 401
    assert _client(other).get("/api/v1/cases/").status_code == 200


def test_signing_in_again_keeps_the_tokens(client, trainee, settings):
    """Django re-hashes a password on sign-in when its hasher changed: the same password,
    so the tokens live on."""
    text = api_token_issue(user=trainee)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    before = type(trainee).objects.get(pk=trainee.pk).password
    client.post("/accounts/login/", {"username": trainee.username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert type(trainee).objects.get(pk=trainee.pk).password != before  # re-hashed
    assert _client(text).get("/api/v1/cases/").status_code == 200


def test_the_admin_shows_whose_a_token_is_but_never_its_text(admin_client, trainee):
    text = api_token_issue(user=trainee)
    client = admin_client
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and trainee.username in listing.content.decode()
    assert text[:8] not in listing.content.decode()
    assert client.get("/admin/knox/authtoken/add/").status_code == 403


def test_tokens_from_before_knox_keep_working_hashed(trainee, settings):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("core.migrations.0002_api_tokens_hashed")
    old = "4" * 40
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s)", [old, trainee.pk]
        )
        # What the migration uses of its schema editor (SQLite's refuses to open in a test's
        # transaction).
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.tokens_hash(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert old not in _table_text()
    assert _client(old).get("/api/v1/cases/").status_code == 200
    token = AuthToken.objects.get(user=trainee)
    assert token.expiry - timezone.now() <= settings.API_TOKEN_IDLE_TIMEOUT
