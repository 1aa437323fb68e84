"""API-wide error handling: every error DRF answers becomes a problem-details body
(core.problems). Django ValidationErrors become 400s that name each field; a stale
version is a 409 that carries the current one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import problems
from core.concurrency import StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(
            problems.problem_body(
                status=status.HTTP_409_CONFLICT,
                detail=str(exc),
                type=problems.STALE_VERSION,
                current_version=exc.current,
            ),
            status=status.HTTP_409_CONFLICT,
            content_type=problems.CONTENT_TYPE,
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = problem_from(exc, response.data, response.status_code)
    response.content_type = problems.CONTENT_TYPE
    return response


def problem_from(exc, data, status_code: int) -> dict:
    """The problem body for what DRF made of an exception."""
    if isinstance(exc, exceptions.ValidationError):
        errors = problems.errors_flatten(data)
        return problems.problem_body(
            status=status_code,
            detail=problems.errors_summary(errors) or gettext("Invalid input."),
            errors=errors,
            type=problems.INVALID_INPUT,
        )
    detail = data.get("detail", "") if isinstance(data, dict) else ""
    kind = getattr(exc, "problem_type", problems.BLANK)
    return problems.problem_body(status=status_code, detail=str(detail), type=kind)
