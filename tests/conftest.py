"""Fixtures: users in each role, the contract's example profile, test-friendly settings.

Helpers that tests import (profiles, clients) live in tests.factories.
"""

import json

import pytest

from tests.factories import CDS_ISSUER, contract_example, user_create


@pytest.fixture
def profile():
    """The contract's own example profile (with the line of therapy at its default); each
    test gets a fresh copy."""
    return contract_example(metastatic_line="unknown")


@pytest.fixture
def trainee(db):
    return user_create("trainee1", "trainee")


@pytest.fixture
def other_trainee(db):
    return user_create("trainee2", "trainee")


@pytest.fixture
def educator(db):
    return user_create("educator1", "educator")


@pytest.fixture
def curator(db):
    return user_create("curator1", "curator", is_staff=True)


@pytest.fixture
def staff(db):
    return user_create("admin1", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _plain_http_test_settings(settings):
    # Production settings redirect to HTTPS and need collectstatic; the test client speaks
    # plain HTTP to an uncollected tree.
    settings.SECURE_SSL_REDIRECT = False
    # Hashing passwords properly is slow by design; tests need users, not strong hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_memories(request, settings):
    # Every per-process memory (core.memory) that can go stale starts empty: throttle
    # leases, the published knowledge base, the auth memory. Within a test the knowledge base and
    # the auth memory are not read again on a timer (query counts must not depend on how
    # fast the machine is), only when this process saves what invalidates them, as in a
    # worker; tests/rules/test_knowledge_base_recheck.py sets the interval itself.
    from core.memory import forget_all

    settings.KNOWLEDGE_BASE_RECHECK_SECONDS = 3600
    settings.AUTH_RECHECK_SECONDS = 3600
    forget_all(derived=False)
    # Throttle counters live in the shared cache (a database table unless REDIS_URL is
    # set); each test that can reach the database starts with none.
    db_fixtures = [
        name for name in ("transactional_db", "db", "live_server") if name in request.fixturenames
    ]
    if db_fixtures:
        request.getfixturevalue(db_fixtures[0])  # this runs before the test's own fixtures
    elif not request.node.get_closest_marker("django_db"):
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_between_tests():
    # A request in Ukrainian leaves its language active on the test's thread (Django's
    # LocaleMiddleware activates it and nothing deactivates it after the response); the
    # next test starts in the default language whatever ran before it.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _responses_match_the_schema(monkeypatch):
    # Every API and CDS Hooks response a test client receives must be one the OpenAPI
    # schema documents (tests.openapi_check).
    from django.test.client import ClientHandler

    from tests.openapi_check import response_check

    handle = ClientHandler.__call__

    def checked(self, environ):
        response = handle(self, environ)
        if getattr(response, "wsgi_request", None) is not None:
            response_check(response.wsgi_request, response)
        return response

    monkeypatch.setattr(ClientHandler, "__call__", checked)


@pytest.fixture
def ehr_key(tmp_path, settings, trainee):
    """A test EHR: its own EC P-384 key pair, its JWK Set in a file, trusted in settings."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from board.cds import auth

    key = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES384"}]}))
    settings.CDS_HOOKS_ISSUERS = {CDS_ISSUER: {"jwks_file": str(jwks), "user": trainee.username}}
    auth._file_keys.cache_clear()
    yield key
    auth._file_keys.cache_clear()
