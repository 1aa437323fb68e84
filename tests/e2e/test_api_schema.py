"""Schemathesis over the OpenAPI schema, in process: no operation answers a server error,
and every response matches the schema it documents."""

import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import token_client

pytestmark = pytest.mark.slow

# The same document /api/schema/ serves, generated in process.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
)


_handler: list = []


def application(environ, start_response):
    # A handler made inside the test picks up the per-test settings (no HTTPS redirect).
    if not _handler:
        _handler.append(WSGIHandler())
    return _handler[0](environ, start_response)


schema.app = application


@pytest.fixture(autouse=True)
def _fresh_handler():
    _handler.clear()


@pytest.fixture(autouse=True, scope="module")
def _keep_the_test_connection_open():
    # Like Django's test client: a finished request must not close the connection that
    # holds the test's transaction.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def curator_token(curator):
    return token_client(curator)._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    # The same examples every run, so CI is reproducible; SCHEMATHESIS_RANDOM=1 explores
    # (random runs found three server errors in this suite's history, each now a test).
    derandomize=os.getenv("SCHEMATHESIS_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_conforms_to_the_schema(case, curator_token):
    case.call_and_validate(
        headers={"Authorization": curator_token},
        checks=[not_a_server_error, response_schema_conformance],
    )


@pytest.mark.django_db  # the schema view is throttled, and the throttle counts in the database
def test_the_schema_documents_error_responses():
    import yaml
    from django.test import Client

    document = yaml.safe_load(Client().get("/api/schema/").content)
    operation = document["paths"]["/api/v1/cases/{code}/"]["patch"]
    assert {"400", "401", "403", "404"} <= set(operation["responses"])
