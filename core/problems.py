"""The API's one error shape: RFC 9457 problem details with field errors.

Every 4xx from the API and the CDS Hooks service has this body, served as
`application/problem+json`:

    {"type": "urn:her2-board:problem:invalid-input", "title": "Invalid input", "status": 400,
     "detail": "Check this field: her2_ihc.", "errors": {"her2_ihc": ["One of ..."]}}

`errors` maps each offending field (dotted for nested ones, e.g. `feedback[0].card`) to its
messages; it is empty when no field is to blame. A stale update (409) adds
`current_version`. The DRF exception handler (core.api_errors), the JSON 404 and the
middleware refusals (core.middleware) all build their bodies here; the OpenAPI component
that documents it is core.schema.ProblemSerializer.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

CONTENT_TYPE = "application/problem+json"

# Problem types: `about:blank` means "see the status code" (RFC 9457 §4.2.1); the others
# name a kind of problem a client may want to branch on.
BLANK = "about:blank"
INVALID_INPUT = "urn:her2-board:problem:invalid-input"
STALE_VERSION = "urn:her2-board:problem:stale-version"
PRECONDITION = "urn:her2-board:problem:cds-precondition"

TITLES = {INVALID_INPUT: _("Invalid input"), STALE_VERSION: _("Stale version")}
# The titles of the statuses the API and CDS Hooks answer (RFC 9110's phrases, translated);
# any other status takes its English phrase.
PHRASES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    409: _("Conflict"),
    412: _("Precondition Failed"),
    413: _("Request Entity Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Entity"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}
DETAIL_MAX = 1000


def problem_title(*, status: int, type: str = BLANK) -> str:
    """The title in the request's language (Accept-Language; the API's codes stay English)."""
    if type in TITLES:
        return str(TITLES[type])
    if status in PHRASES:
        return str(PHRASES[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return gettext("Error")


def errors_flatten(data, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {field path: [messages]}; list items get `[index]`."""
    flat: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(errors_flatten(value, name))
    elif isinstance(data, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in data):
            if data:
                flat[prefix or "non_field_errors"] = [str(item) for item in data]
        else:
            for index, item in enumerate(data):
                flat.update(errors_flatten(item, f"{prefix}[{index}]"))
    elif data is not None:
        flat[prefix or "non_field_errors"] = [str(data)]
    return flat


def errors_summary(errors: dict[str, list[str]]) -> str:
    """`detail` for field errors: which fields to look at (`errors` says what each accepts),
    or the message itself when no field is to blame."""
    fields = [name for name in errors if name != "non_field_errors"]
    general = errors.get("non_field_errors", [])
    if not fields:
        text = " ".join(general)
    else:
        text = ngettext(
            "Check this field: %(fields)s.", "Check these fields: %(fields)s.", len(fields)
        ) % {"fields": ", ".join(fields)}
        if general:
            text = f"{general[0]} {text}"
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def problem_body(
    *,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    type: str = BLANK,
    **extra,
) -> dict:
    return {
        "type": type,
        "title": problem_title(status=status, type=type),
        "status": status,
        "detail": detail,
        "errors": errors or {},
        **extra,
    }


def problem_response(*, status: int, detail: str, **kwargs) -> JsonResponse:
    """A plain Django response with a problem body (for code outside DRF)."""
    return JsonResponse(
        problem_body(status=status, detail=detail, **kwargs),
        status=status,
        content_type=CONTENT_TYPE,
    )
