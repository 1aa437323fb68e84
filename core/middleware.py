"""Project middleware: audit of refusals, and a clear 503 when the database is away."""

import logging

from django.db import OperationalError, connections
from django.http import HttpResponse, JsonResponse

from core.audit import audit

logger = logging.getLogger(__name__)
UNAVAILABLE = "The database is unavailable at the moment. Nothing was changed; try again shortly."


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
        if request.path.startswith(("/api/", "/cds-services")):
            response = JsonResponse({"detail": UNAVAILABLE}, status=503)
        else:
            response = HttpResponse(UNAVAILABLE, status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
