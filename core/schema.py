"""OpenAPI generation: names, tags and texts from one table, and every error documented.

- Each operation's id, tag, summary and description come from the table that
  settings.API_OPERATIONS names (config.api_operations), whatever a view says.
- Every operation documents each 4xx it can answer with the problem-details body
  (core.problems) and an example: 400, 401 and 403 where sign-in is needed, 404 on detail
  paths and paginated lists, 409 on updates, 413 and 415 where a body is taken, 429 with
  `Retry-After`, and 503 (the database away) with `Retry-After`.
- A serializer's `always_required` fields stay required in PATCH request models (DRF
  makes every other field optional there), e.g. `version`.
- `postprocess` adds the server, drops `nullable` that has no `type` beside it (a `oneOf`
  with NullEnum already admits null) and declares the tags.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object, is_patched_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from core import problems
from core.memory import remembered


class TokenScheme(OpenApiAuthenticationExtension):
    """The API token (knox's, core.authentication), under the name and shape the schema had
    with DRF's token: `Authorization: Token <token>`."""

    target_class = "core.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details; `errors` names each offending field (empty when none)."""

    type = serializers.CharField(
        help_text="A URI naming the kind of problem; `about:blank` means see `status`."
    )
    title = serializers.CharField(help_text="Short, the same for every problem of this type.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time, for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each offending field (dotted for nested ones) and what it accepts.",
    )


class StaleVersionProblemSerializer(ProblemSerializer):
    """A 409: the record changed since you read it; nothing was changed."""

    current_version = serializers.IntegerField(help_text="Read the record again at this version.")


def _example(status: int, detail: str, **kwargs) -> dict:
    return problems.problem_body(status=status, detail=detail, **kwargs)


ERRORS = {
    "400": (
        "Invalid input: `errors` names each offending field and what it accepts.",
        _example(
            400,
            "Check this field: her2_ihc.",
            errors={"her2_ihc": ['"4+" is not one of: 0, 1+, 2+, 3+.']},
            type=problems.INVALID_INPUT,
        ),
    ),
    "401": (
        "Not signed in: send `Authorization: Token <key>` (see `token_create`).",
        _example(401, "Authentication credentials were not provided."),
    ),
    "403": (
        "Signed in, but not allowed (role, another user's record, or a proposal due first).",
        _example(403, "You do not have permission to perform this action."),
    ),
    "404": (
        "Nothing with that key, or a page past the last.",
        _example(404, "No CaseProfile matches the given query."),
    ),
    "409": (
        "Stale version: someone changed the record since you read it; nothing was changed.",
        _example(
            409,
            "This record was changed by someone else (now version 3); reload and retry.",
            type=problems.STALE_VERSION,
            current_version=3,
        ),
    ),
    "412": (
        "The service lacks facts it needs; `detail` names them.",
        _example(
            412, "The service needs setting, trastuzumab_response.", type=problems.PRECONDITION
        ),
    ),
    "413": (
        "The body is larger than this path accepts; nothing was read.",
        _example(413, "The request body is larger than 1 MB."),
    ),
    "415": (
        "The body is not JSON.",
        _example(415, 'Unsupported media type "text/plain" in request.'),
    ),
    "406": (
        "The answer can only be JSON: the Accept header names nothing the operation writes.",
        _example(406, "Could not satisfy the request Accept header."),
    ),
    "429": (
        "Too many requests, or too many failed sign-ins: retry after `Retry-After` seconds.",
        _example(429, "Request was throttled. Expected available in 60 seconds."),
    ),
    "503": (
        "The database is unavailable for a moment; nothing was changed. Retry after "
        "`Retry-After` seconds.",
        _example(503, "The database is unavailable at the moment. Nothing was changed."),
    ),
}

HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": "The scheme to use: `Token`.",
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again.",
        }
    },
}
HEADERS["503"] = HEADERS["429"]


@remembered(holds="the API operations table (settings.API_OPERATIONS)", invalidated="never (code)")
def operations() -> dict:
    return import_string(settings.API_OPERATIONS)


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        named = operations().get(f"{method} {path}")
        if named is not None:
            operation.update(
                operationId=named.id,
                tags=[named.tag],
                summary=named.summary,
                description=named.description,
            )
        if operation.get("security") == [{}]:
            # Anonymous only: `[{}]` reads as "some scheme, possibly none" to generated
            # clients; an empty list says no authentication at all.
            operation["security"] = []
        paginator = self._get_paginator() if self._is_list_view() else None
        most = getattr(paginator, "max_page_size", None)
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "page_size" and most:
                parameter["schema"].update(minimum=1, maximum=most)
        return operation

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        always = getattr(serializer, "always_required", ())
        if always and direction == "request" and is_patched_serializer(serializer, direction):
            schema["required"] = sorted({*schema.get("required", []), *always})
        if direction == "request" and getattr(serializer, "refuses_unknown_fields", False):
            schema["additionalProperties"] = False  # what the server enforces (400)
        return schema

    def _error_codes(self) -> list[str]:
        codes = ["400", "406", "429", "503"]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if self.method in ("PUT", "PATCH"):
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")
            if self.get_request_serializer() is not None:
                codes.append("415")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = set(self._error_codes()) | {c for c in responses if c[0] in "45"}
        for code in sorted(codes):
            described, example = ERRORS[code]
            given = responses.get(code, {}).get("description")
            stale = code == "409" and self.method in ("PUT", "PATCH")  # else a view's own 409
            serializer = StaleVersionProblemSerializer if stale else ProblemSerializer
            component = self.resolve_serializer(serializer, direction)
            responses[code] = {
                "description": given or described,
                "content": {
                    problems.CONTENT_TYPE: {
                        "schema": component.ref,
                        "examples": {"problem": {"value": example}},
                    }
                },
                **({"headers": HEADERS[code]} if code in HEADERS else {}),
            }
        return dict(sorted(responses.items()))


NULL = {"$ref": "#/components/schemas/NullEnum"}


def _without_typeless_nullable(node) -> None:
    """OAS 3.0 ignores `nullable` without a `type` beside it: say "or null" with NullEnum."""
    if isinstance(node, dict):
        if node.get("nullable") and "type" not in node:
            if len(node.get("allOf", [])) == 1:
                node["oneOf"] = [node.pop("allOf")[0], NULL]
            if "oneOf" in node:
                del node["nullable"]
                if NULL not in node["oneOf"]:
                    node["oneOf"].append(NULL)
        for value in node.values():
            _without_typeless_nullable(value)
    elif isinstance(node, list):
        for value in node:
            _without_typeless_nullable(value)


def postprocess(result, generator, request, public):
    """drf-spectacular's postprocessing hook (after its enum hook)."""
    url = request.build_absolute_uri("/").rstrip("/") if request is not None else None
    result["servers"] = [
        {"url": url or settings.API_SERVER_URL, "description": "This her2-board server"}
    ]
    _without_typeless_nullable(result)
    result["components"]["schemas"].setdefault("NullEnum", {"enum": [None]})
    return result
