"""Shared fixtures: users in each role and a valid contract profile."""

import copy

import pytest
from django.contrib.auth.models import Group, User

CONTRACT_EXAMPLE = {
    "tumour_site": "breast",
    "setting": "metastatic",
    "age_band": "50-59",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab", "pertuzumab", "chemotherapy"],
    "brain_metastases": False,
    "her2_ihc": "3+",
    "her2_ish": "not_done",
    "her2_heterogeneity": "low",
    "er": "positive",
    "pr": "negative",
    "pik3ca": "mutated",
    "pten": "retained",
    "markers": {"p95HER2": "negative", "MUC4": "high"},
}


@pytest.fixture
def profile():
    """The contract's own example profile; each test gets a fresh copy."""
    return copy.deepcopy(CONTRACT_EXAMPLE)


def _user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="a-long-test-password-1", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def trainee(db):
    return _user("trainee1", "trainee")


@pytest.fixture
def other_trainee(db):
    return _user("trainee2", "trainee")


@pytest.fixture
def curator(db):
    return _user("curator1", "curator", is_staff=True)


@pytest.fixture
def staff(db):
    return _user("admin1", is_staff=True, is_superuser=True)


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
def _fresh_throttle_cache():
    # Throttle counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


DATA_MIGRATIONS = [
    ("cases.migrations.0002_seed_marker_catalogue", "seed"),
    ("cases.migrations.0003_groups", "create_groups"),
    ("rules.migrations.0002_load_knowledge_base", "load"),
    ("rules.migrations.0003_curator_permissions", "grant"),
    ("rules.migrations.0005_curator_feedback_permissions", "grant"),
    ("rules.migrations.0007_educator_group", "grant"),
]


@pytest.fixture
def migrated_data(transactional_db):
    """For transactional tests: a previous one's flush removed what data migrations load."""
    import importlib

    from django.apps import apps

    if Group.objects.filter(name="trainee").exists():
        return
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fresh_knowledge_base_cache():
    # The published knowledge base is cached per process under its history fingerprint;
    # tests that change rows with queryset.update() (no history) start from the database.
    from rules import selectors

    selectors._published.clear()
