"""Every API and CDS Hooks response a test receives is checked against the OpenAPI schema.

tests/conftest.py wraps the test client's handler with `response_check`. openapi-core
(stricter than schemathesis' conformance check) validates the status, the media type, the
headers and the body, errors included. Only responses the schema cannot describe are left
out: addresses and methods that are no operation at all (404 for an unknown path, 405).
"""

import json
from functools import cache

from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound

CHECKED_PATHS = ("/api/v1/", "/cds-services")
SERVER = "http://testserver"


@cache
def openapi() -> OpenAPI:
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    document = json.loads(json.dumps(document, default=str))
    document["servers"] = [{"url": SERVER}]
    # openapi-core reads only the media types it knows as JSON; problem+json is one.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(document, config=config)


class _Request(DjangoOpenAPIRequest):
    """The request as openapi-core reads it, matched by its path against the schema's
    paths (not Django's route), with no body: responses are what is checked here."""

    @property
    def path_pattern(self):
        return None

    @property
    def body(self) -> bytes:
        return b""


class SchemaMismatch(AssertionError):
    pass


def response_check(request, response) -> None:
    """Raise SchemaMismatch when a response does not match what the schema documents."""
    if not request.path.startswith(CHECKED_PATHS):
        return
    try:
        openapi().validate_response(_Request(request), DjangoOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        return
    except Exception as exc:  # openapi-core's errors share no base class worth naming
        detail = "; ".join(str(e) for e in getattr(exc, "schema_errors", ()) or [exc.__cause__])
        raise SchemaMismatch(
            f"{request.method} {request.get_full_path()} answered {response.status_code}, "
            f"which the schema does not describe: {exc} ({detail})\n"
            f"{response.content[:500]!r}"
        ) from exc
