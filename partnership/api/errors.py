from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from partnership.core.errors import ApplicationError, is_database_busy


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 400s with their user-facing message; everything else as DRF does."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "field": exc.field}, status=400)
    if is_database_busy(exc):
        # SQLite only, and only after the busy timeout: the change was not made, so it is safe to retry.
        return Response(
            {"detail": "The database is busy: nothing was changed. Try again in a moment."},
            status=503,
            headers={"Retry-After": "5"},
        )
    return drf_exception_handler(exc, context)
