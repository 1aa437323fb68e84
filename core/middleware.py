"""Project middleware: body limits, audit of refusals, a clear 503 when the database is away."""

import logging

from django.conf import settings
from django.db import OperationalError, connections
from django.http import HttpResponse

from core.audit import audit
from core.problems import problem_response

logger = logging.getLogger(__name__)
UNAVAILABLE = "The database is unavailable at the moment. Nothing was changed; try again shortly."


MACHINE_PATHS = ("/api/", "/cds-services")


def _machine(request) -> bool:
    return request.path.startswith(MACHINE_PATHS)


class BodySizeLimitMiddleware:
    """Refuse a body over its path's limit with 413 before a byte of it is read.

    Limits come from settings.BODY_LIMITS (path prefix, bytes) and DEFAULT_BODY_LIMIT.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = next(
            (size for prefix, size in settings.BODY_LIMITS if request.path.startswith(prefix)),
            settings.DEFAULT_BODY_LIMIT,
        )
        if length > limit:
            message = f"The request body is larger than {limit // (1024 * 1024)} MB."
            if _machine(request):
                return problem_response(status=413, detail=message)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulRefusalMiddleware:
    """Refuse a NUL character in the address, the query or the cookies with 400.

    PostgreSQL text cannot hold NUL, so such a value reaching a lookup answered 500 there
    (and matched nothing on SQLite). Bodies are checked where they are parsed: the JSON
    parser (core.parsers), Django's form fields and the table reader (cases.tabular).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        where = (
            "address"
            if "\x00" in request.path
            else "query"
            if "%00" in query or "\x00" in query
            else "cookies"
            if any("\x00" in k + v for k, v in request.COOKIES.items())
            else None
        )
        if where is None:
            return self.get_response(request)
        message = f"The request's {where} contains a NUL character (U+0000); none is accepted."
        if _machine(request):
            return problem_response(status=400, detail=message)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class AuditRefusalMiddleware:
    """Log every 403 with who asked for what."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            audit("refused", status=403, user=name, path=request.path, method=request.method)
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a clear message when the database connection fails mid-request.

    Django reconnects on the next request (connections are checked at request start), so
    the site recovers by itself when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
        if _machine(request):
            response = problem_response(status=503, detail=UNAVAILABLE)
        else:
            response = HttpResponse(UNAVAILABLE, status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
